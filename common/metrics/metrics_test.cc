#include "common/metrics/metrics.h"

#include <thread>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace homecare {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

TEST(MetricsTest, RendersCountersAndGaugesInTheTextFormat) {
  MetricsRegistry registry;
  Family<Counter>& calls = registry.AddCounter("rpc_total", "Calls finished.", {"method", "code"});
  calls.WithLabels({"/a.B/C", "OK"}).Increment();
  calls.WithLabels({"/a.B/C", "OK"}).Increment(2);
  calls.WithLabels({"/a.B/C", "NOT_FOUND"}).Increment();
  registry.AddGauge("queued", "Tasks waiting.", {}).WithLabels({}).Set(2.5);

  EXPECT_EQ(registry.Render(),
            "# HELP queued Tasks waiting.\n"
            "# TYPE queued gauge\n"
            "queued 2.5\n"
            "# HELP rpc_total Calls finished.\n"
            "# TYPE rpc_total counter\n"
            "rpc_total{method=\"/a.B/C\",code=\"NOT_FOUND\"} 1\n"
            "rpc_total{method=\"/a.B/C\",code=\"OK\"} 3\n");
}

TEST(MetricsTest, HistogramBucketsAreCumulativeWithInfinityLast) {
  MetricsRegistry registry;
  Histogram& latency = registry.AddHistogram("latency_seconds", "Latency.", {"method"}, {0.1, 0.5})
                           .WithLabels({"m"});
  latency.Observe(0.05);
  latency.Observe(0.1);  // a bound is inclusive (le)
  latency.Observe(0.3);
  latency.Observe(7);

  EXPECT_EQ(registry.Render(),
            "# HELP latency_seconds Latency.\n"
            "# TYPE latency_seconds histogram\n"
            "latency_seconds_bucket{method=\"m\",le=\"0.1\"} 2\n"
            "latency_seconds_bucket{method=\"m\",le=\"0.5\"} 3\n"
            "latency_seconds_bucket{method=\"m\",le=\"+Inf\"} 4\n"
            "latency_seconds_sum{method=\"m\"} 7.45\n"
            "latency_seconds_count{method=\"m\"} 4\n");
}

TEST(MetricsTest, EscapesLabelValuesAndHelp) {
  MetricsRegistry registry;
  registry.AddCounter("odd_total", "A \\ and\na newline.", {"node"})
      .WithLabels({"say \"hi\"\\\n"})
      .Increment();
  const std::string text = registry.Render();
  EXPECT_THAT(text, HasSubstr("# HELP odd_total A \\\\ and\\na newline.\n"));
  EXPECT_THAT(text, HasSubstr("odd_total{node=\"say \\\"hi\\\"\\\\\\n\"} 1\n"));
}

TEST(MetricsTest, RegisteringTheSameFamilyAgainReturnsIt) {
  MetricsRegistry registry;
  Family<Counter>& first = registry.AddCounter("x_total", "X.", {"a"});
  Family<Counter>& second = registry.AddCounter("x_total", "X.", {"a"});
  EXPECT_EQ(&first, &second);
}

TEST(MetricsDeathTest, ProgrammingErrorsAbortAtRegistration) {
  MetricsRegistry registry;
  registry.AddCounter("x_total", "X.", {"a"});
  EXPECT_DEATH(registry.AddGauge("x_total", "X.", {"a"}), "registered twice");
  EXPECT_DEATH(registry.AddCounter("x_total", "X.", {"b"}), "registered twice");
  EXPECT_DEATH(registry.AddCounter("bad-name", "X.", {}), "bad metric name");
  EXPECT_DEATH(registry.AddCounter("y_total", "X.", {"__reserved"}), "bad label name");
  EXPECT_DEATH(registry.AddHistogram("h", "X.", {"le"}), "bad label name");
  EXPECT_DEATH(registry.AddHistogram("h", "X.", {}, {1, 1}), "bounds not rising");
  EXPECT_DEATH(registry.AddCounter("x_total", "X.", {"a"}).WithLabels({"1", "2"}), "label values");
}

TEST(MetricsTest, ScrapeHooksRunBeforeEachRenderUntilDestroyed) {
  MetricsRegistry registry;
  Gauge& depth = registry.AddGauge("depth", "Depth.", {}).WithLabels({});
  int reads = 0;
  {
    MetricsRegistry::ScrapeHook hook = registry.OnScrape([&] { depth.Set(++reads); });
    EXPECT_THAT(registry.Render(), HasSubstr("depth 1\n"));
    EXPECT_THAT(registry.Render(), HasSubstr("depth 2\n"));
  }
  EXPECT_THAT(registry.Render(), HasSubstr("depth 2\n"));
  EXPECT_EQ(reads, 2);
}

TEST(MetricsTest, CountsFromManyThreadsAddUp) {
  MetricsRegistry registry;
  Family<Counter>& family = registry.AddCounter("n_total", "N.", {"thread_group"});
  Histogram& histogram = registry.AddHistogram("h_seconds", "H.", {}).WithLabels({});
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 10000; ++i) {
        family.WithLabels({t % 2 == 0 ? "even" : "odd"}).Increment();
        histogram.Observe(0.002);
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(family.WithLabels({"even"}).value(), 20000);
  EXPECT_EQ(family.WithLabels({"odd"}).value(), 20000);
  EXPECT_EQ(histogram.Read().cumulative.back(), 40000u);
  EXPECT_THAT(registry.Render(), Not(HasSubstr("NaN")));
}

}  // namespace
}  // namespace homecare
