// Prometheus metrics: counters, gauges and histograms in labelled families, kept in a registry
// and rendered in Prometheus's text format (version 0.0.4) for a scrape. No gRPC, no HTTP: the
// service host serves the text (metrics_server.h) and records the RPC figures.
//
// Updating a metric is lock-free (atomics); finding a family's child by its label values takes
// the family's mutex, so a hot path that always uses the same labels keeps the child's
// reference. Children live as long as the registry: label values must come from a small set
// (method names, status codes, Redis nodes), never from request data.
//
// A name, a label name or a family registered twice with another type or other labels is a
// programming error and aborts at start-up, where registration happens.
#ifndef HOMECARE_COMMON_METRICS_METRICS_H_
#define HOMECARE_COMMON_METRICS_METRICS_H_

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace homecare {

class Counter {
 public:
  // `by` must not be negative: a counter only goes up (a restart resets it, which Prometheus's
  // rate() understands).
  void Increment(double by = 1) { value_.fetch_add(by, std::memory_order_relaxed); }
  double value() const { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<double> value_{0};
};

class Gauge {
 public:
  void Set(double value) { value_.store(value, std::memory_order_relaxed); }
  void Add(double by) { value_.fetch_add(by, std::memory_order_relaxed); }
  double value() const { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<double> value_{0};
};

class Histogram {
 public:
  // `bounds`: the buckets' upper bounds, increasing; +Inf is implied.
  explicit Histogram(const std::vector<double>& bounds);
  void Observe(double value);

  struct Snapshot {
    std::vector<uint64_t> cumulative;  // per bound, then +Inf (== count)
    double sum = 0;
  };
  Snapshot Read() const;
  const std::vector<double>& bounds() const { return bounds_; }

 private:
  const std::vector<double> bounds_;
  std::unique_ptr<std::atomic<uint64_t>[]> counts_;  // per bucket, not cumulative; +Inf last
  std::atomic<double> sum_{0};
};

// The default buckets for durations in seconds: from a millisecond (a Redis round trip) to a
// minute (an AutoSchedule solve).
std::vector<double> DurationBuckets();

namespace metrics_internal {
[[noreturn]] void ProgrammingError(const std::string& what);
}  // namespace metrics_internal

// A metric's children by their label values (as many as the family's label names).
template <typename Metric>
class Family {
 public:
  Metric& WithLabels(const std::vector<std::string>& values);

 private:
  friend class MetricsRegistry;
  Family(std::vector<std::string> label_names, std::function<std::unique_ptr<Metric>()> make)
      : label_names_(std::move(label_names)), make_(std::move(make)) {}

  const std::vector<std::string> label_names_;
  const std::function<std::unique_ptr<Metric>()> make_;
  mutable std::mutex mutex_;
  std::map<std::vector<std::string>, std::unique_ptr<Metric>> children_;
};

class MetricsRegistry {
 public:
  MetricsRegistry() = default;
  MetricsRegistry(const MetricsRegistry&) = delete;
  MetricsRegistry& operator=(const MetricsRegistry&) = delete;
  ~MetricsRegistry();

  // Each returns the family registered under `name`, registering it the first time.
  Family<Counter>& AddCounter(const std::string& name, const std::string& help,
                              std::vector<std::string> label_names);
  Family<Gauge>& AddGauge(const std::string& name, const std::string& help,
                          std::vector<std::string> label_names);
  Family<Histogram>& AddHistogram(const std::string& name, const std::string& help,
                                  std::vector<std::string> label_names,
                                  std::vector<double> bounds = DurationBuckets());

  // Runs `update` before each scrape, for gauges read from elsewhere (a queue's length, the
  // streams open); it stops when the returned hook is destroyed.
  class ScrapeHook {
   public:
    ScrapeHook() = default;
    ScrapeHook(ScrapeHook&& other) noexcept;
    ScrapeHook& operator=(ScrapeHook&& other) noexcept;
    ~ScrapeHook();

   private:
    friend class MetricsRegistry;
    ScrapeHook(MetricsRegistry* registry, int id) : registry_(registry), id_(id) {}
    MetricsRegistry* registry_ = nullptr;
    int id_ = 0;
  };
  [[nodiscard]] ScrapeHook OnScrape(std::function<void()> update);

  // Every family in the text format, families by name and children by label values.
  std::string Render() const;

 private:
  enum class Type { kCounter, kGauge, kHistogram };
  struct Entry {
    Type type;
    std::string help;
    std::vector<std::string> label_names;
    std::vector<double> bounds;
    std::shared_ptr<void> family;
  };
  Entry& Register(const std::string& name, const std::string& help, Type type,
                  std::vector<std::string> label_names, std::vector<double> bounds,
                  const std::function<std::shared_ptr<void>()>& make);
  void RemoveHook(int id);
  // A counter's or gauge's samples, one line each.
  template <typename Metric>
  static void RenderScalars(const std::string& name, const std::vector<std::string>& label_names,
                            const Family<Metric>& family, std::string* out);

  mutable std::mutex mutex_;  // families_ and hooks_; held across a scrape's hooks
  std::map<std::string, Entry> families_;
  std::map<int, std::function<void()>> hooks_;
  int next_hook_ = 1;
};

// The process's registry, which the service host serves; libraries record into it.
MetricsRegistry& DefaultMetrics();

template <typename Metric>
Metric& Family<Metric>::WithLabels(const std::vector<std::string>& values) {
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = children_.find(values);
  if (it == children_.end()) {
    if (values.size() != label_names_.size()) {
      metrics_internal::ProgrammingError("label values do not match the family's label names");
    }
    it = children_.emplace(values, make_()).first;
  }
  return *it->second;
}

}  // namespace homecare

#endif  // HOMECARE_COMMON_METRICS_METRICS_H_
