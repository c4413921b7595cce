build-mpi/engine/dist.o: engine/dist.c engine/dist.h
engine/dist.h:
