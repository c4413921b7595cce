/* version: runrate's version, as the reports and `runrate --version` print it. */
#ifndef RR_VERSION_H
#define RR_VERSION_H

#define RR_VERSION "0.1.0"

#endif
