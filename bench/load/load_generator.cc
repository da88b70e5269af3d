#include "bench/load/load_generator.h"

#include <algorithm>
#include <atomic>
#include <map>
#include <thread>

#include "absl/strings/str_format.h"
#include "absl/time/clock.h"

namespace homecare::bench {

double LoadResult::calls_per_second() const {
  double seconds = absl::ToDoubleSeconds(elapsed);
  return seconds > 0 ? static_cast<double>(calls) / seconds : 0;
}

LoadResult RunClosedLoop(const std::string& name, int concurrency, absl::Duration warmup,
                         absl::Duration duration, const CallFactory& make_call) {
  std::vector<std::function<bool()>> calls;
  for (int worker = 0; worker < concurrency; ++worker) calls.push_back(make_call(worker));

  std::atomic<bool> measuring{false}, stop{false};
  std::vector<std::vector<absl::Duration>> latencies(concurrency);
  std::vector<int64_t> errors(concurrency, 0);
  std::vector<std::thread> workers;
  for (int worker = 0; worker < concurrency; ++worker) {
    workers.emplace_back([&, worker] {
      while (!stop.load(std::memory_order_relaxed)) {
        absl::Time start = absl::Now();
        bool ok = calls[worker]();
        absl::Duration latency = absl::Now() - start;
        if (measuring.load(std::memory_order_relaxed)) {
          latencies[worker].push_back(latency);
          if (!ok) ++errors[worker];
        }
      }
    });
  }
  absl::SleepFor(warmup);
  measuring = true;
  absl::Time begin = absl::Now();
  absl::SleepFor(duration);
  measuring = false;
  absl::Time end = absl::Now();
  stop = true;
  for (auto& thread : workers) thread.join();

  LoadResult result;
  result.name = name;
  result.concurrency = concurrency;
  result.elapsed = end - begin;
  std::vector<absl::Duration> all;
  for (int worker = 0; worker < concurrency; ++worker) {
    all.insert(all.end(), latencies[worker].begin(), latencies[worker].end());
    result.errors += errors[worker];
  }
  result.calls = static_cast<int64_t>(all.size());
  if (!all.empty()) {
    std::sort(all.begin(), all.end());
    auto at = [&all](double q) {
      return all[std::min(all.size() - 1, static_cast<size_t>(q * all.size()))];
    };
    result.p50 = at(0.50);
    result.p90 = at(0.90);
    result.p99 = at(0.99);
    result.max = all.back();
  }
  return result;
}

std::string FormatTable(const std::vector<LoadResult>& results) {
  std::map<int, const LoadResult*> baselines;
  for (const LoadResult& result : results) baselines.emplace(result.concurrency, &result);
  auto us = [](absl::Duration d) { return absl::ToDoubleMicroseconds(d); };
  std::string table =
      absl::StrFormat("%-28s %5s %9s %7s %10s %9s %9s %9s %9s %8s\n", "call", "conc", "calls/s",
                      "errors", "x base", "p50 us", "p90 us", "p99 us", "max us", "p50 x");
  for (const LoadResult& result : results) {
    const LoadResult& base = *baselines.at(result.concurrency);
    double throughput_ratio =
        base.calls_per_second() > 0 ? result.calls_per_second() / base.calls_per_second() : 0;
    double p50_ratio = us(base.p50) > 0 ? us(result.p50) / us(base.p50) : 0;
    absl::StrAppendFormat(&table, "%-28s %5d %9.0f %7d %10.2f %9.0f %9.0f %9.0f %9.0f %8.2f\n",
                          result.name, result.concurrency, result.calls_per_second(), result.errors,
                          throughput_ratio, us(result.p50), us(result.p90), us(result.p99),
                          us(result.max), p50_ratio);
  }
  return table;
}

}  // namespace homecare::bench
