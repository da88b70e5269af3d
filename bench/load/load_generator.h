// A closed-loop load generator: N workers, each making one call after another for a while, with
// latencies kept exactly (no sampling) so percentiles are true. Benchmarks compare a call with a
// baseline measured in the same run, because these machines are too noisy for absolute figures.
#ifndef HOMECARE_BENCH_LOAD_LOAD_GENERATOR_H_
#define HOMECARE_BENCH_LOAD_LOAD_GENERATOR_H_

#include <functional>
#include <string>
#include <vector>

#include "absl/time/time.h"

namespace homecare::bench {

struct LoadResult {
  std::string name;
  int concurrency = 0;
  int64_t calls = 0;
  int64_t errors = 0;
  absl::Duration elapsed;
  absl::Duration p50, p90, p99, max;

  double calls_per_second() const;
};

// One worker's call: true when it succeeded. Made once per worker, so that each can own its
// stub (and channel, if the caller wants independent connections).
using CallFactory = std::function<std::function<bool()>(int worker)>;

// Runs `concurrency` workers for `duration` (after `warmup`, whose calls are not counted).
LoadResult RunClosedLoop(const std::string& name, int concurrency, absl::Duration warmup,
                         absl::Duration duration, const CallFactory& make_call);

// A fixed-width table of results, with each row's throughput and p50 as a ratio of the first
// row with the same concurrency (the baseline).
std::string FormatTable(const std::vector<LoadResult>& results);

}  // namespace homecare::bench

#endif  // HOMECARE_BENCH_LOAD_LOAD_GENERATOR_H_
