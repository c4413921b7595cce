build-mpi/engine/input.o: engine/input.c engine/input.h engine/diag.h \
 engine/dist.h engine/node.h engine/rng.h
engine/input.h:
engine/diag.h:
engine/dist.h:
engine/node.h:
engine/rng.h:
