build-mpi/engine/quantci.o: engine/quantci.c engine/quantci.h
engine/quantci.h:
