/* cli_schema: `runrate schema [--out FILE]`, the JSON Schema of the scenario format
 * (engine/scenario/schema.h), for editors; docs/scenario.schema.json is its output. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "scenario/schema.h"

static const char usage_schema[] =
    "usage: runrate schema [--out FILE]\n"
    "\n"
    "Print the JSON Schema (draft 2020-12) of the scenario format, generated from the\n"
    "component types and the keys the validation accepts.  Editors check a scenario against\n"
    "it as it is typed: VS Code's YAML extension reads a first line such as\n"
    "  # yaml-language-server: $schema=../docs/scenario.schema.json\n"
    "`runrate validate` still checks what a schema cannot (expressions, names, cross-field\n"
    "rules, the horizon's months).\n"
    "\n"
    "  --out FILE   write the schema to FILE (whole or not at all) instead of stdout\n";

int rr_cli_schema(int argc, char **argv)
{
    run_opts o;
    memset(&o, 0, sizeof o);
    for (int i = 2; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            fputs(usage_schema, stdout);
            return 0;
        }
        if (strcmp(a, "--out") == 0 && i + 1 < argc && argv[i + 1][0]) {
            o.out = argv[++i];
        } else if (strncmp(a, "--out=", 6) == 0 && a[6]) {
            o.out = a + 6;
        } else {
            fprintf(stderr, "runrate schema: %s '%s'\n%s",
                    strncmp(a, "--out", 5) == 0 ? "--out: expected a file name, got"
                                                : "unexpected argument", a, usage_schema);
            return 2;
        }
    }
    rr_buf b = { 0 };
    rr_status st = rr_schema_build(&b.p, &b.len);
    if (st != RR_OK) {
        fprintf(stderr, "runrate schema: %s\n", rr_status_text(st));
        return cli_exit_code(st);
    }
    b.cap = b.len + 1;
    st = cli_emit("schema", &o, &b);
    rr_buf_free(&b);
    return cli_exit_code(st);
}
