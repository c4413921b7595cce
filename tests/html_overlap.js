/* html_overlap: run by tests/html_render.sh inside a rendered report: every pair of text
 * boxes of a chart that overlap (by more than a pixel each way), and every budget,
 * recommended or zero line that runs through a text, written into <pre id="rr-overlaps">
 * as "OVERLAPS N" and one line each. */
(function () {
  var out = [];
  function boxOf(el) { var r = el.getBoundingClientRect(); return r; }
  function hit(a, b, pad) {
    var w = Math.min(a.right, b.right + pad) - Math.max(a.left, b.left - pad);
    var h = Math.min(a.bottom, b.bottom + pad) - Math.max(a.top, b.top - pad);
    return w > 1 && h > 1 ? [w, h] : null;
  }
  var charts = document.querySelectorAll('svg');
  for (var c = 0; c < charts.length; c++) {
    var id = charts[c].id || 'svg' + c;
    var texts = charts[c].querySelectorAll('text'), boxes = [];
    for (var i = 0; i < texts.length; i++) {
      var r = boxOf(texts[i]);
      if (r.width > 0 && r.height > 0 && texts[i].textContent.trim() !== '')
        boxes.push({ r: r, t: texts[i].textContent.trim() });
    }
    for (var i = 0; i < boxes.length; i++)
      for (var j = i + 1; j < boxes.length; j++) {
        var o = hit(boxes[i].r, boxes[j].r, 0);
        if (o) out.push(id + ': text "' + boxes[i].t + '" over text "' + boxes[j].t + '"');
      }
    /* Marker lines (budget, recommended, zero) must not run through a label. */
    var lines = charts[c].querySelectorAll('line.budget, line.rec, line.zero-line');
    for (var k = 0; k < lines.length; k++) {
      var lr = boxOf(lines[k]);
      for (var i = 0; i < boxes.length; i++) {
        var o = hit(boxes[i].r, lr, 1.5);
        if (o) out.push(id + ': line.' + lines[k].getAttribute('class') + ' through text "' + boxes[i].t + '"');
      }
    }
  }
  var pre = document.createElement('pre');
  pre.id = 'rr-overlaps';
  pre.textContent = 'OVERLAPS ' + out.length + '\n' + out.join('\n');
  document.body.appendChild(pre);
})();
