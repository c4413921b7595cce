build-mpi/engine/rng.o: engine/rng.c engine/rng.h
engine/rng.h:
