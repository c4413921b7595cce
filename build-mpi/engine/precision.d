build-mpi/engine/precision.o: engine/precision.c engine/precision.h \
 engine/sim.h engine/accum.h engine/diag.h engine/scenario.h \
 models/model.h engine/diag.h engine/input.h engine/dist.h engine/node.h \
 engine/rng.h engine/quantci.h
engine/precision.h:
engine/sim.h:
engine/accum.h:
engine/diag.h:
engine/scenario.h:
models/model.h:
engine/diag.h:
engine/input.h:
engine/dist.h:
engine/node.h:
engine/rng.h:
engine/quantci.h:
