// Every service's Prometheus endpoint, on homecare-roster as a real process: the RPC figures by
// method and code, Redis calls and errors by node and the breaker's state, and a real
// Prometheus (Debian's prometheus) scraping it.
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <fstream>
#include <thread>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/client/channel.h"
#include "common/metrics/metrics_server.h"
#include "common/testing/redis_server.h"
#include "common/testing/service_process.h"
#include "common/testing/status_matchers.h"
#include "common/testing/tokens.h"
#include "gmock/gmock.h"
#include "google/protobuf/struct.pb.h"
#include "google/protobuf/util/json_util.h"
#include "gtest/gtest.h"
#include "homecare/roster/v1/roster.grpc.pb.h"

namespace homecare {
namespace {

using ::homecare::testing::GrpcStatusIs;
using ::homecare::testing::IsOk;
using ::homecare::testing::RedisServer;
using ::homecare::testing::ServiceProcess;
using ::homecare::testing::Subprocess;
using ::homecare::testing::TestSecret;
using roster::v1::RosterService;
using ::testing::HasSubstr;

constexpr char kCreateTenant[] = "/homecare.roster.v1.RosterService/CreateTenant";

// host and port of "127.0.0.1:9151".
std::pair<std::string, int> HostPort(const std::string& address) {
  std::vector<std::string> parts = absl::StrSplit(address, ':');
  int port = 0;
  EXPECT_EQ(parts.size(), 2u) << address;
  EXPECT_TRUE(absl::SimpleAtoi(parts.back(), &port)) << address;
  return {parts.front(), port};
}

// The value of the sample named exactly `series` (name and labels as rendered), or -1.
double Sample(const std::string& text, const std::string& series) {
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    if (!absl::ConsumePrefix(&line, series) || !absl::ConsumePrefix(&line, " ")) continue;
    double value = 0;
    if (absl::SimpleAtod(line, &value)) return value;
  }
  return -1;
}

class MetricsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto redis = RedisServer::Start();
    ASSERT_TRUE(redis.ok()) << redis.status();
    redis_ = *std::move(redis);
    auto service = ServiceProcess::Start(
        {.binary = HOMECARE_ROSTER_BINARY,
         .args = {"--redis", redis_->address(), "--secret-file", secret_.path(), "--redis-timeout",
                  "500ms", "--redis-breaker-open", "60s"}});
    ASSERT_TRUE(service.ok()) << service.status();
    roster_ = *std::move(service);
    stub_ = RosterService::NewStub(roster_->NewChannel());
    absl::StatusOr<std::string> metrics = roster_->MetricsAddress();
    ASSERT_TRUE(metrics.ok()) << metrics.status();
    metrics_address_ = *metrics;
  }

  grpc::Status CreateTenant(const std::string& id, const std::string& token) {
    roster::v1::CreateTenantRequest request;
    request.set_request_id(absl::StrCat("req-", id));
    request.mutable_tenant()->set_tenant_id(id);
    request.mutable_tenant()->set_display_name(absl::StrCat("Provider ", id));
    request.mutable_tenant()->set_time_zone("Europe/London");
    auto* locality = request.mutable_tenant()->add_localities();
    locality->set_locality_id("north");
    locality->set_display_name("North");
    request.mutable_tenant()->set_minimum_hourly_pay_pence(1260);
    roster::v1::Tenant response;
    grpc::ClientContext context;
    PrepareContext(context, token, absl::Seconds(10));
    return stub_->CreateTenant(&context, request, &response);
  }

  std::string Scrape() {
    auto [host, port] = HostPort(metrics_address_);
    absl::StatusOr<HttpResponse> response = HttpGet(host, port, "/metrics");
    EXPECT_TRUE(response.ok()) << response.status();
    if (!response.ok()) return "";
    EXPECT_EQ(response->status, 200);
    return response->body;
  }

  TestSecret secret_;
  std::unique_ptr<RedisServer> redis_;
  std::unique_ptr<ServiceProcess> roster_;
  std::unique_ptr<RosterService::Stub> stub_;
  std::string metrics_address_;
};

TEST_F(MetricsTest, CountsEachCallByMethodAndCode) {
  const std::string operator_token = secret_.Token(Role::kOperator, "");
  ASSERT_THAT(CreateTenant("sunrise-care", operator_token), GrpcStatusIs(grpc::StatusCode::OK));
  ASSERT_THAT(CreateTenant("dawn-care", operator_token), GrpcStatusIs(grpc::StatusCode::OK));
  ASSERT_THAT(CreateTenant("dusk-care", ""), GrpcStatusIs(grpc::StatusCode::UNAUTHENTICATED));
  ASSERT_THAT(CreateTenant("Bad Id!", operator_token),
              GrpcStatusIs(grpc::StatusCode::INVALID_ARGUMENT));

  const std::string text = Scrape();
  const std::string method = absl::StrCat("method=\"", kCreateTenant, "\"");
  EXPECT_EQ(
      Sample(text, absl::StrCat("homecare_rpc_server_handled_total{", method, ",code=\"OK\"}")), 2)
      << text;
  EXPECT_EQ(Sample(text, absl::StrCat("homecare_rpc_server_handled_total{", method,
                                      ",code=\"UNAUTHENTICATED\"}")),
            1);
  EXPECT_EQ(Sample(text, absl::StrCat("homecare_rpc_server_handled_total{", method,
                                      ",code=\"INVALID_ARGUMENT\"}")),
            1);
  EXPECT_EQ(Sample(text, absl::StrCat("homecare_rpc_server_handling_seconds_count{", method,
                                      ",code=\"OK\"}")),
            2);
  EXPECT_EQ(Sample(text, absl::StrCat("homecare_rpc_server_handling_seconds_bucket{", method,
                                      ",code=\"OK\",le=\"+Inf\"}")),
            2);
  EXPECT_EQ(Sample(text, absl::StrCat("homecare_rpc_server_in_flight{", method, "}")), 0);
  // The health checks and the writes went to Redis, and none failed.
  const std::string node = absl::StrCat("node=\"", redis_->address(), "\"");
  EXPECT_GE(Sample(text, absl::StrCat("homecare_redis_calls_total{", node, "}")), 2);
  EXPECT_EQ(Sample(text, absl::StrCat("homecare_redis_breaker_state{", node, "}")), 0);
  EXPECT_THAT(text, Not(HasSubstr("homecare_redis_call_errors_total{")));
  EXPECT_EQ(Sample(text, "homecare_streams_open"), 0);
  EXPECT_EQ(Sample(text, "homecare_worker_pool_queued"), 0);
}

TEST_F(MetricsTest, ShowsRedisFailuresAndTheOpenBreaker) {
  ASSERT_THAT(redis_->Pause(), IsOk());
  const std::string node = absl::StrCat("node=\"", redis_->address(), "\"");
  // The readiness check pings every half second: three timeouts open the breaker (60 s).
  const absl::Time deadline = absl::Now() + absl::Seconds(30);
  std::string text;
  while (absl::Now() < deadline) {
    text = Scrape();
    if (Sample(text, absl::StrCat("homecare_redis_breaker_state{", node, "}")) == 1) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  EXPECT_EQ(Sample(text, absl::StrCat("homecare_redis_breaker_state{", node, "}")), 1) << text;
  EXPECT_GE(Sample(text, absl::StrCat("homecare_redis_call_errors_total{", node,
                                      ",reason=\"unavailable\"}")),
            3);
  ASSERT_THAT(CreateTenant("sunrise-care", secret_.Token(Role::kOperator, "")),
              GrpcStatusIs(grpc::StatusCode::UNAVAILABLE));
  text = Scrape();
  EXPECT_GE(Sample(text, absl::StrCat("homecare_redis_call_errors_total{", node,
                                      ",reason=\"breaker_open\"}")),
            1);
  EXPECT_EQ(Sample(text, absl::StrCat("homecare_rpc_server_handled_total{method=\"", kCreateTenant,
                                      "\",code=\"UNAVAILABLE\"}")),
            1);
  ASSERT_THAT(redis_->Resume(), IsOk());
}

// A free TCP port on 127.0.0.1 (bound and released: Prometheus takes no port 0 to report).
int FreePort() {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof(address);
  int port = 0;
  if (bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) == 0 &&
      getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) == 0) {
    port = ntohs(address.sin_port);
  }
  close(fd);
  return port;
}

std::string UrlEncode(const std::string& text) {
  std::string out;
  for (unsigned char c : text) {
    if (std::isalnum(c) || c == '_' || c == '-' || c == '.') {
      out += static_cast<char>(c);
    } else {
      absl::StrAppend(&out, "%", absl::Hex(c, absl::kZeroPad2));
    }
  }
  return out;
}

TEST_F(MetricsTest, APrometheusServerScrapesIt) {
  ASSERT_THAT(CreateTenant("sunrise-care", ""), GrpcStatusIs(grpc::StatusCode::UNAUTHENTICATED));
  const std::string dir = testing::MakeTempDir("hc-prom");
  {
    std::ofstream config(dir + "/prometheus.yml");
    config << "global:\n  scrape_interval: 1s\n"
           << "scrape_configs:\n  - job_name: roster\n    static_configs:\n"
           << "      - targets: ['" << metrics_address_ << "']\n";
  }
  const int port = FreePort();
  ASSERT_GT(port, 0);
  absl::StatusOr<Subprocess> prometheus = Subprocess::Spawn(
      {HOMECARE_PROMETHEUS_BINARY, absl::StrCat("--config.file=", dir, "/prometheus.yml"),
       absl::StrCat("--storage.tsdb.path=", dir, "/data"),
       absl::StrCat("--web.listen-address=127.0.0.1:", port)},
      dir + "/prometheus.log");
  ASSERT_TRUE(prometheus.ok()) << prometheus.status();

  // Prometheus starts, scrapes every second, and answers queries of what it scraped.
  const std::string query =
      absl::StrCat("/api/v1/query?query=",
                   UrlEncode(absl::StrCat("homecare_rpc_server_handled_total{job=\"roster\","
                                          "method=\"",
                                          kCreateTenant, "\",code=\"UNAUTHENTICATED\"}")));
  const absl::Time deadline = absl::Now() + absl::Seconds(60);
  std::string value;
  std::string last;
  while (absl::Now() < deadline && value.empty()) {
    std::this_thread::sleep_for(std::chrono::milliseconds(250));
    absl::StatusOr<HttpResponse> response = HttpGet("127.0.0.1", port, query);
    if (!response.ok() || response->status != 200) continue;
    last = response->body;
    google::protobuf::Struct json;
    ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(response->body, &json).ok()) << last;
    const auto& data = json.fields().at("data").struct_value();
    const auto& result = data.fields().at("result").list_value();
    if (result.values_size() == 0) continue;
    // [ <time>, "<value>" ]
    value =
        result.values(0).struct_value().fields().at("value").list_value().values(1).string_value();
  }
  EXPECT_EQ(value, "1") << last << "\n" << testing::ReadFileOrEmpty(dir + "/prometheus.log");
  prometheus->Terminate(absl::Seconds(10)).IgnoreError();
  testing::RemoveTree(dir);
}

}  // namespace
}  // namespace homecare
