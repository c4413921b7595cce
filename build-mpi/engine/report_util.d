build-mpi/engine/report_util.o: engine/report_util.c engine/report_util.h \
 engine/buf.h
engine/report_util.h:
engine/buf.h:
