#!/usr/bin/env python3
"""Vendoring helper (not used at test time): extract the NetBox component schemas the fakes must satisfy
from NetBox's OpenAPI document and convert OpenAPI 3.0 `nullable` into JSON Schema, so /usr/bin/python3's
jsonschema can validate the fake's responses.
Usage: openapi_subset.py OPENAPI.json OUT.json ROOT_SCHEMA..."""
import json, sys

src, out, roots = sys.argv[1], sys.argv[2], sys.argv[3:]
schemas = json.load(open(src))["components"]["schemas"]
keep = {}

def walk(node):
    if isinstance(node, dict):
        ref = node.get("$ref")
        if ref and ref.startswith("#/components/schemas/"):
            name = ref.split("/")[-1]
            if name not in keep:
                keep[name] = convert(schemas[name])
                walk(schemas[name])
        for v in node.values():
            walk(v)
    elif isinstance(node, list):
        for v in node:
            walk(v)

def convert(node):
    if isinstance(node, list):
        return [convert(v) for v in node]
    if not isinstance(node, dict):
        return node
    node = {k: convert(v) for k, v in node.items() if k not in ("example", "readOnly", "writeOnly", "format")}
    if "$ref" in node:
        node["$ref"] = "#/definitions/" + node["$ref"].split("/")[-1]
        # OpenAPI 3.0 ignores siblings of $ref; a nullable relation is written as allOf + nullable.
    for bound in ("Maximum", "Minimum"):
        # OpenAPI 3.0 (draft 4) writes exclusiveMaximum as a flag beside maximum; draft 7 wants the bound.
        if node.get("exclusive" + bound) is True:
            node["exclusive" + bound] = node.pop(bound.lower())
        elif node.get("exclusive" + bound) is False:
            node.pop("exclusive" + bound)
    if node.get("type") == "object" and "properties" in node:
        # go-netbox's fix-spec.py dropped nullable properties from `required` and null from nullable enums,
        # so an optional property is the only mark left of a nullable one: accept null there.
        required = set(node.get("required", []))
        node["properties"] = {k: (v if k in required else {"anyOf": [v, {"type": "null"}]}) for k, v in node["properties"].items()}
    if node.pop("nullable", False):
        if "enum" in node and None not in node["enum"]:
            node["enum"] = node["enum"] + [None]
        node = {"anyOf": [node, {"type": "null"}]}
    return node

for r in roots:
    walk({"$ref": "#/components/schemas/" + r})
json.dump({"$schema": "http://json-schema.org/draft-07/schema#", "definitions": keep}, open(out, "w"), indent=1, sort_keys=True)
print(f"{len(keep)} schemas → {out}")
