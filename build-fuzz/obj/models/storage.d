build-fuzz/obj/models/storage.o: models/storage.c models/model.h \
  engine/diag.h engine/input.h engine/dist.h engine/node.h engine/rng.h

models/model.h:

engine/diag.h:

engine/input.h:

engine/dist.h:

engine/node.h:

engine/rng.h:
