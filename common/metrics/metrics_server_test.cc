#include "common/metrics/metrics_server.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace homecare {
namespace {

using ::testing::HasSubstr;

TEST(MetricsServerTest, ServesTheRegistryAtMetricsOnAnyFreePort) {
  MetricsRegistry registry;
  Counter& scrapes = registry.AddCounter("scrapes_total", "Scrapes.", {}).WithLabels({});
  MetricsRegistry::ScrapeHook hook = registry.OnScrape([&] { scrapes.Increment(); });
  absl::StatusOr<std::unique_ptr<MetricsServer>> server =
      MetricsServer::Start(&registry, "127.0.0.1", 0);
  ASSERT_TRUE(server.ok()) << server.status();
  EXPECT_GT((*server)->port(), 0);
  EXPECT_EQ((*server)->address(), "127.0.0.1:" + std::to_string((*server)->port()));

  absl::StatusOr<HttpResponse> first = HttpGet("127.0.0.1", (*server)->port(), "/metrics");
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_EQ(first->status, 200);
  EXPECT_THAT(first->body, HasSubstr("# TYPE scrapes_total counter\nscrapes_total 1\n"));
  absl::StatusOr<HttpResponse> second = HttpGet("127.0.0.1", (*server)->port(), "/metrics");
  ASSERT_TRUE(second.ok()) << second.status();
  EXPECT_THAT(second->body, HasSubstr("scrapes_total 2\n"));
}

TEST(MetricsServerTest, AnswersNothingElse) {
  MetricsRegistry registry;
  absl::StatusOr<std::unique_ptr<MetricsServer>> server =
      MetricsServer::Start(&registry, "127.0.0.1", 0);
  ASSERT_TRUE(server.ok()) << server.status();
  for (const char* path : {"/", "/metrics/x", "/etc/passwd", "/../metrics.txt"}) {
    absl::StatusOr<HttpResponse> response = HttpGet("127.0.0.1", (*server)->port(), path);
    ASSERT_TRUE(response.ok()) << path << ": " << response.status();
    EXPECT_EQ(response->status, 404) << path;
  }
}

TEST(MetricsServerTest, APortInUseIsUnavailable) {
  MetricsRegistry registry;
  absl::StatusOr<std::unique_ptr<MetricsServer>> first =
      MetricsServer::Start(&registry, "127.0.0.1", 0);
  ASSERT_TRUE(first.ok()) << first.status();
  absl::StatusOr<std::unique_ptr<MetricsServer>> second =
      MetricsServer::Start(&registry, "127.0.0.1", (*first)->port());
  EXPECT_EQ(second.status().code(), absl::StatusCode::kUnavailable) << second.status();
}

TEST(MetricsServerTest, GetOfAClosedPortIsUnavailable) {
  MetricsRegistry registry;
  int port = 0;
  {
    absl::StatusOr<std::unique_ptr<MetricsServer>> server =
        MetricsServer::Start(&registry, "127.0.0.1", 0);
    ASSERT_TRUE(server.ok()) << server.status();
    port = (*server)->port();
  }
  EXPECT_EQ(HttpGet("127.0.0.1", port, "/metrics").status().code(), absl::StatusCode::kUnavailable);
}

}  // namespace
}  // namespace homecare
