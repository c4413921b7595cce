/* fuzz_bill: a libFuzzer target for the bill reader (`make fuzz`): each input is a bill's
 * bytes, read as runrate track reads one (actuals/bill.h over actuals/csv.h), then summed
 * into the cells of a small scenario with an actuals.map (actuals/observed.h).  A failure
 * without a message, or a success that leaves lines out of order, is reported as a crash
 * with __builtin_trap(), so libFuzzer keeps the input. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "actuals/bill.h"
#include "actuals/observed.h"
#include "scenario/node.h"
#include "scenario/scenario.h"

static const char scenario_yaml[] =
    "name: fuzz\nstart: 2027-01\nhorizon_months: 6\n"
    "demand: {requests_per_month: 1000}\n"
    "costs:\n"
    "  - {name: api, type: per_request, units_per_request: 1, unit_price: 0.01}\n"
    "  - {name: ops, type: fixed, category: mlops, monthly: 100}\n"
    "actuals:\n  map:\n"
    "    - {match: {ServiceName: \"Amazon*\", \"Tags.app\": x}, component: api}\n"
    "    - {match: {ServiceCategory: Other}, category: oversight}\n";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static rr_scenario *s;
    if (!s) {
        rr_node *root = NULL;
        rr_diags d;
        rr_diags_init(&d, NULL);
        if (rr_node_load_string(scenario_yaml, sizeof scenario_yaml - 1, &root, &d) != RR_OK ||
            rr_scenario_from_node(root, &s, &d) != RR_OK)
            __builtin_trap();
        rr_node_free(root);
        rr_diags_free(&d);
    }
    rr_bill b;
    rr_bill_init(&b);
    rr_diags d;
    rr_diags_init(&d, NULL);
    rr_status st = rr_bill_parse((const char *)data, size, size % 2 ? "BilledCost" : NULL, &b, &d);
    if (st != RR_OK && st != RR_ERR_NOMEM && d.n == 0)
        __builtin_trap();
    if (st == RR_OK) {
        for (size_t i = 1; i < b.n; i++)
            if (b.line[i].line < b.line[i - 1].line)
                __builtin_trap();
        rr_observed o;
        rr_diags od;
        rr_diags_init(&od, NULL);
        if (rr_observed_build(s, &b, size % 3 ? -1 : 2, &o, &od) != 0 && od.n == 0)
            __builtin_trap();
        rr_observed_free(&o);
        rr_diags_free(&od);
    }
    rr_bill_free(&b);
    rr_diags_free(&d);
    return 0;
}
