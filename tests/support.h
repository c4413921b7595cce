/* support: what several test programs need: a scenario from a YAML string, and a summary
 * of a run.  Both assert success (cmocka), printing the diagnostics when they fail. */
#ifndef RR_TEST_SUPPORT_H
#define RR_TEST_SUPPORT_H

#include <stdint.h>

#include "scenario.h"
#include "sim.h"
#include "summary.h"

/* Load and validate `yaml`, after the override `set` ("PATH=VALUE") when not NULL. */
rr_scenario *test_load(const char *yaml, const char *set);
/* Simulate and summarise; the simulation result is kept in *keep when keep is not NULL. */
rr_summary *test_summarise(const rr_scenario *s, uint64_t paths, uint64_t seed, int threads,
                           rr_sim_result **keep);

#endif
