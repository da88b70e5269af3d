// How fast a call fails when Redis goes away, against the command timeout it would otherwise
// wait out, in the same run: the Redis client alone and through homecare-roster, with a real
// redis-server stopped (connections refused) and stalled (SIGSTOP: the circuit breaker's case).
// The tests check that these calls fail with the right status; this measures how fast.
//
//   build/bench/redis/redis_failure_bench [--calls 50] [--timeout 500ms]
//
// Rows (median of --calls calls): a healthy GET or GetTenant (the baseline); Redis stopped;
// Redis stalled, the calls that wait out the timeout; Redis stalled with the breaker open.
// Ratios are against the timeout: well under 1 means "refused at once, never a hang".
#include <algorithm>
#include <functional>
#include <iostream>
#include <string>
#include <vector>

#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "bench/load/service_bench.h"
#include "common/client/channel.h"
#include "common/config/flags.h"
#include "common/redis/redis_client.h"
#include "common/testing/redis_server.h"
#include "common/testing/service_process.h"
#include "common/testing/tokens.h"
#include "homecare/roster/v1/roster.grpc.pb.h"

namespace homecare::bench {
namespace {

struct Row {
  std::string name;
  absl::Duration median = absl::ZeroDuration();
  int failed = 0;  // calls that did not end as the row expects
};

// The median time of `calls` calls of `call`, which returns whether it ended as expected.
Row Measure(const std::string& name, int calls, const std::function<bool()>& call) {
  std::vector<absl::Duration> times;
  Row row{name};
  for (int i = 0; i < calls; ++i) {
    const absl::Time start = absl::Now();
    if (!call()) ++row.failed;
    times.push_back(absl::Now() - start);
  }
  std::sort(times.begin(), times.end());
  row.median = times[times.size() / 2];
  return row;
}

// Each row against the first (the healthy baseline) and against the timeout.
void Print(const std::vector<Row>& rows, absl::Duration timeout) {
  for (const Row& row : rows) {
    std::cout << absl::StrFormat(
        "  %-44s %10.3f ms %10.2f x baseline %9.5f x timeout%s\n", row.name,
        absl::ToDoubleMilliseconds(row.median), absl::FDivDuration(row.median, rows[0].median),
        absl::FDivDuration(row.median, timeout),
        row.failed ? absl::StrFormat("  (%d unexpected)", row.failed) : "");
  }
}

int Main(int argc, char** argv) {
  int calls = 50;
  absl::Duration timeout = absl::Milliseconds(500);
  bool smoke = false;
  FlagSet flags("redis_failure_bench");
  flags.AddInt("calls", &calls, "Calls per row (the median is reported)");
  flags.AddDuration("timeout", &timeout, "The Redis command timeout of the client and service");
  flags.AddBool("smoke", &smoke, "A few calls a row, to check that the benchmark still works");
  absl::StatusOr<std::vector<std::string>> positional = flags.Parse(argc, argv);
  if (!positional.ok()) {
    std::cerr << positional.status().message() << "\n" << flags.Usage();
    return 2;
  }
  if (flags.help_requested()) {
    std::cout << flags.Usage();
    return 0;
  }
  if (smoke) calls = 3;
  // The calls that wait out the timeout are few, or the run would take minutes.
  const int slow_calls = std::min(calls, 3);
  bool ok = true;

  // The Redis client alone.
  {
    auto redis = testing::RedisServer::Start();
    if (!redis.ok()) {
      std::cerr << redis.status() << "\n";
      return 1;
    }
    RedisOptions options{.address = (*redis)->address(), .command_timeout = timeout};
    RedisOptions never_opens = options;
    never_opens.breaker.failure_threshold = 1 << 30;  // every call tries Redis itself
    RedisOptions opens = options;
    opens.breaker.failure_threshold = slow_calls;
    opens.breaker.open_duration = absl::Hours(1);
    auto trying = RedisClient::Create(never_opens);
    auto breaking = RedisClient::Create(opens);
    if (!trying.ok() || !breaking.ok()) return 1;
    auto unavailable = [](RedisClient& client) {
      return client.Command({"GET", "k"}).status().code() == absl::StatusCode::kUnavailable;
    };
    std::vector<Row> rows;
    rows.push_back(Measure("GET, Redis healthy (baseline)", calls, [&] {
      return (*trying)->Command({"GET", "k"}).ok();
    }));
    if (!(*redis)->Stop().ok()) return 1;
    rows.push_back(Measure("GET, Redis stopped", calls, [&] { return unavailable(**trying); }));
    if (!(*redis)->Restart().ok() || !(*redis)->Pause().ok()) return 1;
    rows.push_back(Measure("GET, Redis stalled, breaker closed", slow_calls,
                           [&] { return unavailable(**breaking); }));
    rows.push_back(Measure("GET, Redis stalled, breaker open", calls,
                           [&] { return unavailable(**breaking); }));
    if (!(*redis)->Resume().ok()) return 1;
    std::cout << "Redis client (command timeout " << absl::FormatDuration(timeout) << "):\n";
    Print(rows, timeout);
    for (const Row& row : rows) ok = ok && row.failed == 0;
  }

  // Through homecare-roster: GetTenant, Redis's failure mapped to UNAVAILABLE.
  {
    testing::TestSecret secret;
    auto redis = testing::RedisServer::Start();
    if (!redis.ok()) return 1;
    auto roster = testing::ServiceProcess::Start(
        {.binary = HOMECARE_ROSTER_BINARY,
         .args = {"--redis", (*redis)->address(), "--secret-file", secret.path(), "--redis-timeout",
                  absl::FormatDuration(timeout), "--redis-breaker-open", "1h"}});
    if (!roster.ok()) {
      std::cerr << roster.status() << "\n";
      return 1;
    }
    if (absl::Status created = CreateBenchTenant(**roster, secret, "bench-care", {"central"});
        !created.ok()) {
      std::cerr << created << "\n";
      return 1;
    }
    auto stub = roster::v1::RosterService::NewStub((*roster)->NewChannel());
    const std::string token = secret.Token(Role::kCoordinator, "bench-care");
    auto get = [&]() {
      grpc::ClientContext context;
      PrepareContext(context, token, timeout * 10);
      roster::v1::GetTenantRequest request;
      roster::v1::Tenant tenant;
      return stub->GetTenant(&context, request, &tenant).error_code();
    };
    std::vector<Row> rows;
    rows.push_back(Measure("GetTenant, Redis healthy (baseline)", calls,
                           [&] { return get() == grpc::StatusCode::OK; }));
    if (!(*redis)->Pause().ok()) return 1;
    // The service's readiness pings count towards its breaker too, so the slow row may be short.
    rows.push_back(Measure("GetTenant, Redis stalled, breaker closed", 1,
                           [&] { return get() == grpc::StatusCode::UNAVAILABLE; }));
    for (int i = 0; i < 3; ++i) get();  // opens the breaker
    rows.push_back(Measure("GetTenant, Redis stalled, breaker open", calls,
                           [&] { return get() == grpc::StatusCode::UNAVAILABLE; }));
    if (!(*redis)->Resume().ok()) return 1;
    std::cout << "homecare-roster (--redis-timeout " << absl::FormatDuration(timeout) << "):\n";
    Print(rows, timeout);
    for (const Row& row : rows) ok = ok && row.failed == 0;
  }
  return ok ? 0 : 1;
}

}  // namespace
}  // namespace homecare::bench

int main(int argc, char** argv) { return homecare::bench::Main(argc, argv); }
