build-mpi/models/training.o: models/training.c models/model.h \
 engine/diag.h engine/input.h engine/diag.h engine/dist.h engine/node.h \
 engine/rng.h
models/model.h:
engine/diag.h:
engine/input.h:
engine/diag.h:
engine/dist.h:
engine/node.h:
engine/rng.h:
