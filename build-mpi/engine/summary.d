build-mpi/engine/summary.o: engine/summary.c engine/summary.h \
 engine/diag.h engine/scenario.h models/model.h engine/diag.h \
 engine/input.h engine/dist.h engine/node.h engine/rng.h engine/sim.h \
 engine/accum.h engine/quantci.h
engine/summary.h:
engine/diag.h:
engine/scenario.h:
models/model.h:
engine/diag.h:
engine/input.h:
engine/dist.h:
engine/node.h:
engine/rng.h:
engine/sim.h:
engine/accum.h:
engine/quantci.h:
