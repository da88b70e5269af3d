#include "common/metrics/metrics.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <limits>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace homecare {
namespace metrics_internal {

void ProgrammingError(const std::string& what) {
  std::fprintf(stderr, "metrics: %s\n", what.c_str());
  std::abort();
}

}  // namespace metrics_internal
namespace {

using metrics_internal::ProgrammingError;

bool ValidName(const std::string& name, bool colons) {
  if (name.empty()) return false;
  for (size_t i = 0; i < name.size(); ++i) {
    const char c = name[i];
    const bool letter =
        (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || (colons && c == ':');
    if (!letter && !(i > 0 && c >= '0' && c <= '9')) return false;
  }
  return true;
}

// The text format's number: integers as such, the rest exact, and the infinities by name.
std::string Number(double value) {
  if (std::isnan(value)) return "NaN";
  if (std::isinf(value)) return value > 0 ? "+Inf" : "-Inf";
  if (value == std::floor(value) && std::fabs(value) < 1e15) {
    return absl::StrFormat("%.0f", value);
  }
  // The shortest of the usual precisions that reads back as the same double.
  for (int digits : {15, 16, 17}) {
    std::string text = absl::StrFormat("%.*g", digits, value);
    if (std::strtod(text.c_str(), nullptr) == value) return text;
  }
  return absl::StrFormat("%.17g", value);
}

// The text format's escapes: backslash and newline everywhere, the double quote in label values
// (which are quoted).
std::string Escape(const std::string& text, bool quoted) {
  std::string out;
  for (char c : text) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '\n') {
      out += "\\n";
    } else if (quoted && c == '"') {
      out += "\\\"";
    } else {
      out += c;
    }
  }
  return out;
}

// {a="x",b="y"} with `extra` (le="...") last; empty when there are no labels at all.
std::string Labels(const std::vector<std::string>& names, const std::vector<std::string>& values,
                   const std::string& extra = "") {
  std::string out;
  for (size_t i = 0; i < names.size(); ++i) {
    absl::StrAppend(&out, out.empty() ? "" : ",", names[i], "=\"",
                    Escape(values[i], /*quoted=*/true), "\"");
  }
  if (!extra.empty()) absl::StrAppend(&out, out.empty() ? "" : ",", extra);
  return out.empty() ? out : absl::StrCat("{", out, "}");
}

}  // namespace

Histogram::Histogram(const std::vector<double>& bounds)
    : bounds_(bounds), counts_(new std::atomic<uint64_t>[bounds.size() + 1]) {
  for (size_t i = 0; i <= bounds_.size(); ++i) counts_[i].store(0, std::memory_order_relaxed);
}

void Histogram::Observe(double value) {
  size_t bucket = 0;
  while (bucket < bounds_.size() && value > bounds_[bucket]) ++bucket;
  counts_[bucket].fetch_add(1, std::memory_order_relaxed);
  sum_.fetch_add(value, std::memory_order_relaxed);
}

Histogram::Snapshot Histogram::Read() const {
  Snapshot snapshot;
  uint64_t running = 0;
  for (size_t i = 0; i <= bounds_.size(); ++i) {
    running += counts_[i].load(std::memory_order_relaxed);
    snapshot.cumulative.push_back(running);
  }
  snapshot.sum = sum_.load(std::memory_order_relaxed);
  return snapshot;
}

std::vector<double> DurationBuckets() {
  return {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60};
}

MetricsRegistry::~MetricsRegistry() = default;

MetricsRegistry::Entry& MetricsRegistry::Register(
    const std::string& name, const std::string& help, Type type,
    std::vector<std::string> label_names, std::vector<double> bounds,
    const std::function<std::shared_ptr<void>()>& make) {
  if (!ValidName(name, /*colons=*/true)) ProgrammingError(absl::StrCat("bad metric name ", name));
  for (size_t i = 0; i < label_names.size(); ++i) {
    const std::string& label = label_names[i];
    if (!ValidName(label, /*colons=*/false) || label.rfind("__", 0) == 0 ||
        (type == Type::kHistogram && label == "le")) {
      ProgrammingError(absl::StrCat("bad label name ", label, " of ", name));
    }
    for (size_t j = 0; j < i; ++j) {
      if (label_names[j] == label) ProgrammingError(absl::StrCat("label ", label, " twice"));
    }
  }
  for (size_t i = 1; i < bounds.size(); ++i) {
    if (!(bounds[i - 1] < bounds[i])) ProgrammingError(absl::StrCat(name, ": bounds not rising"));
  }
  std::lock_guard<std::mutex> lock(mutex_);
  auto [it, added] = families_.try_emplace(name);
  Entry& entry = it->second;
  if (added) {
    entry = Entry{type, help, std::move(label_names), std::move(bounds), make()};
  } else if (entry.type != type || entry.label_names != label_names || entry.bounds != bounds) {
    ProgrammingError(absl::StrCat(name, " registered twice, differently"));
  }
  return entry;
}

Family<Counter>& MetricsRegistry::AddCounter(const std::string& name, const std::string& help,
                                             std::vector<std::string> label_names) {
  const std::vector<std::string> names = label_names;
  Entry& entry = Register(name, help, Type::kCounter, std::move(label_names), {}, [&] {
    return std::shared_ptr<void>(
        new Family<Counter>(names, [] { return std::make_unique<Counter>(); }),
        [](void* family) { delete static_cast<Family<Counter>*>(family); });
  });
  return *static_cast<Family<Counter>*>(entry.family.get());
}

Family<Gauge>& MetricsRegistry::AddGauge(const std::string& name, const std::string& help,
                                         std::vector<std::string> label_names) {
  const std::vector<std::string> names = label_names;
  Entry& entry = Register(name, help, Type::kGauge, std::move(label_names), {}, [&] {
    return std::shared_ptr<void>(new Family<Gauge>(names, [] { return std::make_unique<Gauge>(); }),
                                 [](void* family) { delete static_cast<Family<Gauge>*>(family); });
  });
  return *static_cast<Family<Gauge>*>(entry.family.get());
}

Family<Histogram>& MetricsRegistry::AddHistogram(const std::string& name, const std::string& help,
                                                 std::vector<std::string> label_names,
                                                 std::vector<double> bounds) {
  const std::vector<std::string> names = label_names;
  const std::vector<double> kept = bounds;
  Entry& entry =
      Register(name, help, Type::kHistogram, std::move(label_names), std::move(bounds), [&] {
        return std::shared_ptr<void>(
            new Family<Histogram>(names, [kept] { return std::make_unique<Histogram>(kept); }),
            [](void* family) { delete static_cast<Family<Histogram>*>(family); });
      });
  return *static_cast<Family<Histogram>*>(entry.family.get());
}

MetricsRegistry::ScrapeHook::ScrapeHook(ScrapeHook&& other) noexcept
    : registry_(std::exchange(other.registry_, nullptr)), id_(other.id_) {}

MetricsRegistry::ScrapeHook& MetricsRegistry::ScrapeHook::operator=(ScrapeHook&& other) noexcept {
  if (this != &other) {
    if (registry_ != nullptr) registry_->RemoveHook(id_);
    registry_ = std::exchange(other.registry_, nullptr);
    id_ = other.id_;
  }
  return *this;
}

MetricsRegistry::ScrapeHook::~ScrapeHook() {
  if (registry_ != nullptr) registry_->RemoveHook(id_);
}

MetricsRegistry::ScrapeHook MetricsRegistry::OnScrape(std::function<void()> update) {
  std::lock_guard<std::mutex> lock(mutex_);
  const int id = next_hook_++;
  hooks_.emplace(id, std::move(update));
  return ScrapeHook(this, id);
}

void MetricsRegistry::RemoveHook(int id) {
  // Under the lock, so that a hook is never running once its owner has gone.
  std::lock_guard<std::mutex> lock(mutex_);
  hooks_.erase(id);
}

template <typename Metric>
void MetricsRegistry::RenderScalars(const std::string& name,
                                    const std::vector<std::string>& label_names,
                                    const Family<Metric>& family, std::string* out) {
  std::lock_guard<std::mutex> lock(family.mutex_);
  for (const auto& [values, metric] : family.children_) {
    absl::StrAppend(out, name, Labels(label_names, values), " ", Number(metric->value()), "\n");
  }
}

std::string MetricsRegistry::Render() const {
  std::lock_guard<std::mutex> lock(mutex_);
  for (const auto& [id, update] : hooks_) update();
  std::string out;
  for (const auto& [name, entry] : families_) {
    static constexpr const char* kTypeNames[] = {"counter", "gauge", "histogram"};
    absl::StrAppend(&out, "# HELP ", name, " ", Escape(entry.help, /*quoted=*/false), "\n# TYPE ",
                    name, " ", kTypeNames[static_cast<int>(entry.type)], "\n");
    switch (entry.type) {
      case Type::kCounter:
        RenderScalars(name, entry.label_names,
                      *static_cast<const Family<Counter>*>(entry.family.get()), &out);
        break;
      case Type::kGauge:
        RenderScalars(name, entry.label_names,
                      *static_cast<const Family<Gauge>*>(entry.family.get()), &out);
        break;
      case Type::kHistogram: {
        const auto& family = *static_cast<const Family<Histogram>*>(entry.family.get());
        std::lock_guard<std::mutex> children(family.mutex_);
        for (const auto& [values, histogram] : family.children_) {
          const Histogram::Snapshot snapshot = histogram->Read();
          for (size_t i = 0; i < snapshot.cumulative.size(); ++i) {
            const double bound =
                i < entry.bounds.size() ? entry.bounds[i] : std::numeric_limits<double>::infinity();
            absl::StrAppend(
                &out, name, "_bucket",
                Labels(entry.label_names, values, absl::StrCat("le=\"", Number(bound), "\"")), " ",
                snapshot.cumulative[i], "\n");
          }
          absl::StrAppend(&out, name, "_sum", Labels(entry.label_names, values), " ",
                          Number(snapshot.sum), "\n", name, "_count",
                          Labels(entry.label_names, values), " ", snapshot.cumulative.back(), "\n");
        }
        break;
      }
    }
  }
  return out;
}

MetricsRegistry& DefaultMetrics() {
  // Never destroyed: threads may still record while the process exits.
  static MetricsRegistry* registry = new MetricsRegistry();
  return *registry;
}

}  // namespace homecare
