build-mpi/engine/report_md.o: engine/report_md.c engine/report.h \
 engine/buf.h engine/diag.h engine/summary.h engine/scenario.h \
 models/model.h engine/diag.h engine/input.h engine/dist.h engine/node.h \
 engine/rng.h engine/sim.h engine/accum.h engine/report_util.h
engine/report.h:
engine/buf.h:
engine/diag.h:
engine/summary.h:
engine/scenario.h:
models/model.h:
engine/diag.h:
engine/input.h:
engine/dist.h:
engine/node.h:
engine/rng.h:
engine/sim.h:
engine/accum.h:
engine/report_util.h:
