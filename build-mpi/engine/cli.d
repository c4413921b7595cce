build-mpi/engine/cli.o: engine/cli.c engine/cluster.h engine/accum.h \
 engine/override.h engine/diag.h engine/node.h engine/precision.h \
 engine/sim.h engine/scenario.h models/model.h engine/diag.h \
 engine/input.h engine/dist.h engine/rng.h engine/report.h engine/buf.h \
 engine/summary.h
engine/cluster.h:
engine/accum.h:
engine/override.h:
engine/diag.h:
engine/node.h:
engine/precision.h:
engine/sim.h:
engine/scenario.h:
models/model.h:
engine/diag.h:
engine/input.h:
engine/dist.h:
engine/rng.h:
engine/report.h:
engine/buf.h:
engine/summary.h:
