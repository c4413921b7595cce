build-fuzz/obj/engine/diag.o: engine/diag.c engine/diag.h

engine/diag.h:
