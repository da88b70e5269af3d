#!/usr/bin/env python3
"""Checks that CTest's "cluster/..." runs of the integration suites really run on the cluster
test stack: that each has HOMECARE_TEST_STACK=cluster in its environment and its single-Redis
twin exists. CMake 3.25's gtest_discover_tests once dropped that environment without a word
(a list-valued LABELS flattened the properties), and the cluster runs used one Redis.

Usage: cluster_variants_test.py <ctest> <build dir>
"""
import json
import subprocess
import sys


def main():
    ctest, build_dir = sys.argv[1], sys.argv[2]
    shown = subprocess.run([ctest, "--show-only=json-v1"], cwd=build_dir, check=True,
                           capture_output=True, text=True)
    tests = json.loads(shown.stdout)["tests"]
    names = {test["name"] for test in tests}
    cluster = [test for test in tests if test["name"].startswith("cluster/")]
    failures = []
    if len(cluster) < 80:
        failures.append(f"only {len(cluster)} cluster/ tests (the suites have about 90)")
    for test in cluster:
        properties = {p["name"]: p["value"] for p in test.get("properties", [])}
        if "HOMECARE_TEST_STACK=cluster" not in properties.get("ENVIRONMENT", []):
            failures.append(f"{test['name']}: environment {properties.get('ENVIRONMENT')}")
        if test["name"][len("cluster/"):] not in names:
            failures.append(f"{test['name']}: no single-Redis twin")
    for failure in failures:
        print(failure)
    print(f"{len(cluster)} cluster/ tests checked, {len(failures)} problem(s)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
