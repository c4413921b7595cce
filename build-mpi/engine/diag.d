build-mpi/engine/diag.o: engine/diag.c engine/diag.h
engine/diag.h:
