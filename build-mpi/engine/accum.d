build-mpi/engine/accum.o: engine/accum.c engine/accum.h
engine/accum.h:
