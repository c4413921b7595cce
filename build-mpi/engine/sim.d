build-mpi/engine/sim.o: engine/sim.c engine/sim.h engine/accum.h \
 engine/diag.h engine/scenario.h models/model.h engine/diag.h \
 engine/input.h engine/dist.h engine/node.h engine/rng.h engine/cluster.h
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
engine/cluster.h:
