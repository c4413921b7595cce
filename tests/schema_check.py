#!/usr/bin/env python3
"""Validate YAML files against docs/scenario.schema.json (tests/schema.sh).

usage: schema_check.py SCHEMA (good|bad) FILE...
Prints "ok FILE" or "FAIL FILE: why" for each file; exit status 0 when every good file
validates and every bad one is rejected, 1 otherwise, 2 when the schema itself is invalid.
"""
import json
import sys

import jsonschema
import yaml


def main():
    schema_path, want, files = sys.argv[1], sys.argv[2], sys.argv[3:]
    with open(schema_path, encoding="utf-8") as f:
        schema = json.load(f)
    try:
        jsonschema.Draft202012Validator.check_schema(schema)
    except jsonschema.exceptions.SchemaError as e:
        print("FAIL %s: not a valid draft 2020-12 schema: %s" % (schema_path, e.message))
        return 2
    v = jsonschema.Draft202012Validator(schema)
    failed = 0
    for path in files:
        with open(path, encoding="utf-8") as f:
            doc = yaml.safe_load(f)
        errors = sorted(v.iter_errors(doc), key=lambda e: list(e.absolute_path))
        if want == "good" and errors:
            e = errors[0]
            print("FAIL %s: %s at %s" % (path, e.message[:300],
                                         "/".join(str(p) for p in e.absolute_path)))
            failed += 1
        elif want == "bad" and not errors:
            print("FAIL %s: accepted, expected a rejection" % path)
            failed += 1
        else:
            print("ok %s" % path)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
