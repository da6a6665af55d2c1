#!/usr/bin/env python3
"""Checks the request bodies the AI providers encode against the providers' published OpenAPI schemas.

The Swift test `RequestBodySampleTests` writes representative requests (OpenAI, Ollama and Azure flavours of
Chat Completions; Anthropic Messages with both structured-output modes) when PROVIDER_REQUEST_SAMPLES_DIR is
set. This script runs that test, then validates every body against the request schema of the operation in
the matching spec, and checks the path and the authentication and version headers.

Usage:
    Scripts/validate-provider-requests.py --specs DIR [--samples DIR]

DIR holds `openai-chat-completions.subset.yaml` and `anthropic-messages.subset.yaml` (OpenAPI 3.1 subsets
of the providers' specs). `--specs` defaults to $PROVIDER_SPECS_DIR. With `--samples`, existing samples are
validated and the Swift test is not run.

Needs: Python 3.9+, PyYAML and jsonschema >= 4.18 (with `referencing`). OpenAPI 3.1 schemas are JSON Schema
2020-12, so the request schema is checked with jsonschema directly, `$ref`s resolved inside the spec.
Exit status: 0 when every body validates, 1 otherwise.
"""

import argparse
import json
import os
import pathlib
import subprocess
import sys
import tempfile

import yaml
from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

SPECS = {
    "openai": {
        "file": "openai-chat-completions.subset.yaml",
        "path": "/chat/completions",
    },
    "anthropic": {
        "file": "anthropic-messages.subset.yaml",
        "path": "/v1/messages",
    },
}

ROOT = pathlib.Path(__file__).resolve().parent.parent


def load_spec(specs_dir, provider):
    path = pathlib.Path(specs_dir) / SPECS[provider]["file"]
    with open(path, encoding="utf-8") as handle:
        spec = yaml.safe_load(handle)
    return spec


def request_validator(spec, api_path):
    operation = spec["paths"][api_path]["post"]
    schema = operation["requestBody"]["content"]["application/json"]["schema"]
    resource = Resource.from_contents(spec, default_specification=DRAFT202012)
    registry = Registry().with_resource("urn:provider-spec", resource)
    root = {"$ref": "urn:provider-spec" + schema["$ref"]} if "$ref" in schema else schema
    return Draft202012Validator(root, registry=registry), operation


def header_problems(provider, spec, operation, headers):
    lowered = {name.lower(): value for name, value in headers.items()}
    problems = []
    if provider == "openai":
        scheme = spec.get("components", {}).get("securitySchemes", {}).get("ApiKeyAuth", {})
        if scheme.get("scheme") == "bearer" and "authorization" in lowered:
            if not lowered["authorization"].startswith("Bearer "):
                problems.append("Authorization is not a bearer token")
        elif "api-key" not in lowered and "authorization" not in lowered:
            problems.append("no credentials header (Authorization or api-key)")
    if provider == "anthropic":
        declared = {p["name"].lower() for p in operation.get("parameters", []) if p.get("in") == "header"}
        if "anthropic-version" in declared and lowered.get("anthropic-version") != "2023-06-01":
            problems.append("anthropic-version header is not 2023-06-01")
        if "x-api-key" not in lowered:
            problems.append("x-api-key header missing")
    if lowered.get("content-type") != "application/json":
        problems.append("Content-Type is not application/json")
    return problems


def produce_samples(directory):
    env = dict(os.environ, PROVIDER_REQUEST_SAMPLES_DIR=str(directory))
    command = ["swift", "test", "--filter", "RequestBodySampleTests"]
    print("$ PROVIDER_REQUEST_SAMPLES_DIR=%s %s" % (directory, " ".join(command)), flush=True)
    result = subprocess.run(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    if result.returncode != 0:
        sys.stdout.write(result.stdout[-4000:])
        sys.exit("The sample-producing test failed.")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--specs", default=os.environ.get("PROVIDER_SPECS_DIR"), help="directory with the *.subset.yaml specs")
    parser.add_argument("--samples", help="validate samples already in this directory instead of running the test")
    args = parser.parse_args()
    if not args.specs:
        parser.error("pass --specs DIR or set PROVIDER_SPECS_DIR")

    temporary = None
    if args.samples:
        samples_dir = pathlib.Path(args.samples)
    else:
        temporary = tempfile.TemporaryDirectory(prefix="provider-requests-")
        samples_dir = pathlib.Path(temporary.name)
        produce_samples(samples_dir)

    specs = {provider: load_spec(args.specs, provider) for provider in SPECS}
    validators = {provider: request_validator(spec, SPECS[provider]["path"]) for provider, spec in specs.items()}

    samples = sorted(samples_dir.glob("*.json"))
    if not samples:
        sys.exit("No samples found in %s" % samples_dir)

    failures = 0
    for sample_path in samples:
        sample = json.loads(sample_path.read_text(encoding="utf-8"))
        provider = sample["provider"]
        validator, operation = validators[provider]
        body = dict(sample["body"])
        notes = []
        for field in sample.get("newerThanSpec", []):
            if field in body:
                del body[field]
                notes.append("'%s' is newer than the spec snapshot; checked without it" % field)
        problems = []
        if sample["path"] not in specs[provider]["paths"]:
            problems.append("path %s is not in the spec" % sample["path"])
        if not sample["url"].split("?")[0].endswith(sample["path"]):
            problems.append("URL %s does not end with %s" % (sample["url"], sample["path"]))
        problems += header_problems(provider, specs[provider], operation, sample["headers"])
        for error in sorted(validator.iter_errors(body), key=lambda e: list(e.absolute_path)):
            location = "/".join(str(part) for part in error.absolute_path) or "(body)"
            problems.append("%s: %s" % (location, error.message[:300]))
        status = "ok  " if not problems else "FAIL"
        print("%s %s%s" % (status, sample_path.name, (" — " + "; ".join(notes)) if notes else ""))
        for problem in problems:
            print("       " + problem)
        failures += 1 if problems else 0

    print("%d of %d request bodies valid against the published schemas" % (len(samples) - failures, len(samples)))
    if temporary:
        temporary.cleanup()
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
