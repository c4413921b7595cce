build-fuzz/obj/engine/accum.o: engine/accum.c engine/accum.h

engine/accum.h:
