#!/usr/bin/env python3
"""Writes a provider-sized day in the Mankowska et al. (2014) format that hhcrsp_solve reads.

The public instances stop at 300 visits and 40 carers; a provider's day is ten times that. This
makes the shape the issue on the engine's scale describes, so the engine can be measured at that
size with the benchmark's own reader and checker: one office (node 0) where every carer starts
and ends, clients spread over a 40 x 40 minute square (travel in minutes is the straight-line
distance, as in the benchmark), 60-minute windows at the four daily peaks (morning, lunch, tea,
bed; minute 0 is 06:30), 15 to 45 minutes a visit, one client in ten needing two carers at once
(a double service with a gap of 0), six services with each carer qualified for three to six.
Deterministic for a seed.

    bench/hhcrsp/generate_day.py --clients 2730 --carers 300 --seed 1 > /tmp/day3000.txt

2,730 clients with one in ten a double service make about 3,000 visits.
"""
import argparse
import math
import random
import sys

SERVICES = 6
# (start of the window in minutes from 06:30, share of the day's clients)
PEAKS = [(60, 0.40), (330, 0.25), (630, 0.15), (840, 0.20)]
WINDOW = 60
DAY_END = 1000  # the office closes: 23:10


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=2730)
    parser.add_argument("--carers", type=int, default=300)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    clients = args.clients
    n = clients + 2  # the office first, and its copy last
    out = sys.stdout.write

    xs = [20.0] + [rng.uniform(0, 40) for _ in range(clients)] + [20.0]
    ys = [20.0] + [rng.uniform(0, 40) for _ in range(clients)] + [20.0]
    double = set(i for i in range(1, n - 1) if rng.random() < 0.1)
    required = [[0] * SERVICES for _ in range(n)]
    required[0] = required[n - 1] = [1] * SERVICES
    for i in range(1, n - 1):
        for k in rng.sample(range(SERVICES), 2 if i in double else 1):
            required[i][k] = 1
    qualified = []
    for _ in range(args.carers):
        held = set(rng.sample(range(SERVICES), rng.randint(3, SERVICES)))
        qualified.append([1 if k in held else 0 for k in range(SERVICES)])
    opens, closes = [0], [DAY_END]
    weights = [share for _, share in PEAKS]
    for _ in range(1, n - 1):
        start = rng.choices([peak for peak, _ in PEAKS], weights)[0]
        opens.append(start)
        closes.append(start + WINDOW)
    opens.append(0)
    closes.append(DAY_END)
    durations = [[0] * SERVICES for _ in range(n)]
    for i in range(1, n - 1):
        for k in range(SERVICES):
            if required[i][k]:
                durations[i][k] = rng.choice([15, 20, 30, 30, 45])

    out("nbNodes\n%d\nnbVehi\n%d\nnbServi\n%d\n" % (n, args.carers, SERVICES))
    out("r\n" + "".join(" ".join(map(str, row)) + "\n" for row in required))
    out("DS\n" + " ".join(str(i + 1) for i in sorted(double)) + "\n")  # 1-based
    out("a\n" + "".join(" ".join(map(str, row)) + "\n" for row in qualified))
    out("x\n" + " ".join("%.3f" % x for x in xs) + "\n")
    out("y\n" + " ".join("%.3f" % y for y in ys) + "\n")
    out("d\n")
    for i in range(n):
        out(" ".join("%.3f" % math.hypot(xs[i] - xs[j], ys[i] - ys[j]) for j in range(n)))
        out("\n")
    out("p\n")
    for i in range(n):
        row = " ".join(str(v) for v in durations[i]) + "\n"
        out(row * args.carers)
    out("mind\n" + " ".join("0" for _ in range(n)) + "\n")
    out("maxd\n" + " ".join("0" for _ in range(n)) + "\n")
    out("e\n" + " ".join(map(str, opens)) + "\n")
    out("l\n" + " ".join(map(str, closes)) + "\n")


if __name__ == "__main__":
    main()
