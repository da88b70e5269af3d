#!/usr/bin/env python3
"""Runs the HHCRSP benchmark (Mankowska et al. 2014) and prints our results beside the published.

For every instance it runs hhcrsp_solve, then the independent checker hhcrsp_check on the written
solution; the table uses the checker's recomputed objective, and any invalid solution fails the
run. Per set it prints our average, the best published average (best of the four published
methods per instance, averaged over the instances), the gap in percent and our seconds.

Example (from the repository root, after building):
  python3 bench/hhcrsp/run_table.py --sets A B C D E --seconds 10 --threads 2 --seed 1
"""

import argparse
import csv
import json
import os
import re
import subprocess
import sys
import time

SETS = {
    "A": "InstanzCPLEX_HCSRP_10_{}",
    "B": "InstanzCPLEX_HCSRP_25_{}",
    "C": "InstanzCPLEX_HCSRP_50_{}",
    "D": "InstanzCPLEX_HCSRP_75_{}",
    "E": "InstanzVNS_HCSRP_100_{}",
    "F": "InstanzVNS_HCSRP_200_{}",
    "G": "InstanzVNS_HCSRP_300_{}",
}
METHODS = ("mk", "lf", "matheur", "brkga")


def published_best(csv_path):
    """Best of the four published objectives per (set, instance number)."""
    best = {}
    with open(csv_path, newline="") as f:
        for row in csv.DictReader(f):
            values = [float(row[m]) for m in METHODS if row[m] not in ("", "NA")]
            best[(row["subset"], int(row["iid"]))] = min(values)
    return best


def run_instance(args, set_name, number):
    name = SETS[set_name].format(number)
    instance = os.path.join(args.data_dir, name + ".txt")
    out = os.path.join(args.out_dir, name + ".json")
    command = [
        os.path.join(args.build_dir, "bench/hhcrsp/hhcrsp_solve"),
        "--instance", instance,
        "--seconds", str(args.seconds),
        "--iterations", str(args.iterations),
        "--seed", str(args.seed),
        "--threads", str(args.threads),
        "--out", out,
    ]
    begin = time.monotonic()
    solve = subprocess.run(command, capture_output=True, text=True)
    wall = time.monotonic() - begin
    if solve.returncode != 0:
        return {"name": name, "error": "solver failed: " + solve.stderr.strip()}
    check = subprocess.run(
        [os.path.join(args.build_dir, "bench/hhcrsp/hhcrsp_check"),
         "--instance", instance, "--solution", out],
        capture_output=True, text=True)
    if check.returncode != 0:
        return {"name": name, "error": "checker rejected it:\n" + check.stdout.strip()}
    match = re.search(r"^OK objective ([0-9.eE+-]+)", check.stdout, re.M)
    if not match:
        return {"name": name, "error": "unreadable checker output: " + check.stdout}
    with open(out) as f:
        reported = json.load(f)
    return {"name": name, "objective": float(match.group(1)),
            "seconds": float(reported["seconds"]), "wall": wall}


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    root = os.path.dirname(os.path.dirname(here))
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sets", nargs="+", default=list("ABCDE"), choices=sorted(SETS))
    parser.add_argument("--instances", nargs="+", type=int, default=[1, 2, 3, 4, 5])
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--iterations", type=int, default=0)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--build-dir", default=os.path.join(root, "build"))
    parser.add_argument("--data-dir", default=os.path.join(root, "bench/hhcrsp/instances"))
    parser.add_argument("--out-dir", default="/tmp/hhcrsp-results")
    parser.add_argument("--per-instance", action="store_true", help="also print one row per instance")
    args = parser.parse_args()
    os.makedirs(args.out_dir, exist_ok=True)
    best = published_best(os.path.join(args.data_dir, "published-results.csv"))

    failures = 0
    rows = []
    summary = []
    for set_name in args.sets:
        results = []
        for number in args.instances:
            result = run_instance(args, set_name, number)
            if "error" in result:
                failures += 1
                print("%s: %s" % (result["name"], result["error"]), file=sys.stderr)
                continue
            reference = best[(set_name, number)]
            result["best"] = reference
            result["gap"] = 100.0 * (result["objective"] - reference) / reference
            results.append(result)
            rows.append((set_name, number, result))
            print("%s%d %-28s ours %9.2f  best published %9.2f  gap %+6.2f%%  %5.2f s" % (
                set_name, number, result["name"], result["objective"], reference,
                result["gap"], result["seconds"]), file=sys.stderr, flush=True)
        if results:
            ours = sum(r["objective"] for r in results) / len(results)
            ref = sum(r["best"] for r in results) / len(results)
            seconds = sum(r["seconds"] for r in results) / len(results)
            longest = max(r["seconds"] for r in results)
            summary.append((set_name, len(results), ours, ref, 100.0 * (ours - ref) / ref,
                            seconds, longest))

    limit = ("%g s" % args.seconds) if args.seconds > 0 else "none"
    print("Seed %d, %d thread(s), time limit %s, iterations %s per thread" % (
        args.seed, args.threads, limit, args.iterations if args.iterations else "unlimited"))
    print()
    print("| set | instances | ours (avg) | best published (avg) | gap % | seconds (avg) | seconds (max) |")
    print("|---|---|---|---|---|---|---|")
    for set_name, count, ours, ref, gap, seconds, longest in summary:
        print("| %s | %d | %.2f | %.2f | %+.2f | %.2f | %.2f |" % (
            set_name, count, ours, ref, gap, seconds, longest))
    if args.per_instance:
        print()
        print("| instance | ours | best published | gap % | seconds |")
        print("|---|---|---|---|---|")
        for set_name, number, r in rows:
            print("| %s%d | %.2f | %.2f | %+.2f | %.2f |" % (
                set_name, number, r["objective"], r["best"], r["gap"], r["seconds"]))
    if failures:
        print("%d instance(s) failed" % failures, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
