build-mpi/engine/scenario.o: engine/scenario.c engine/scenario.h \
 engine/diag.h models/model.h engine/diag.h engine/input.h engine/dist.h \
 engine/node.h engine/rng.h
engine/scenario.h:
engine/diag.h:
models/model.h:
engine/diag.h:
engine/input.h:
engine/dist.h:
engine/node.h:
engine/rng.h:
