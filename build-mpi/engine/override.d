build-mpi/engine/override.o: engine/override.c engine/override.h \
 engine/diag.h engine/node.h
engine/override.h:
engine/diag.h:
engine/node.h:
