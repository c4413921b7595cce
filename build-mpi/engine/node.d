build-mpi/engine/node.o: engine/node.c engine/node.h engine/diag.h
engine/node.h:
engine/diag.h:
