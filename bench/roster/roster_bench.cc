// Benchmark of homecare-roster's call path against the gRPC health check on the same server in
// the same run: a real redis-server and a real service process, closed-loop clients.
//
//   build/bench/roster/roster_bench [--seconds 5] [--concurrency 1,8,32]
//
// Rows: grpc.health.v1.Health/Check (the baseline: gRPC alone, answered on gRPC's threads);
// GetTenant rejected for a bad token (auth only); GetTenant (auth, worker pool, one Redis GET,
// protobuf). Ratios against the baseline at the same concurrency say what our layers cost.
#include <iostream>
#include <string>
#include <vector>

#include "bench/load/load_generator.h"
#include "bench/load/service_bench.h"
#include "common/client/channel.h"
#include "common/config/flags.h"
#include "common/testing/redis_server.h"
#include "common/testing/service_process.h"
#include "common/testing/tokens.h"
#include "homecare/roster/v1/roster.grpc.pb.h"

namespace homecare::bench {
namespace {

using roster::v1::RosterService;

int Main(int argc, char** argv) {
  ServiceBenchFlags bench{.concurrency = "1,8,32"};
  FlagSet flags("roster_bench");
  bench.Register(flags);
  if (std::optional<int> exit_code = ParseBenchFlags(flags, argc, argv)) return *exit_code;
  absl::StatusOr<std::vector<int>> concurrencies = bench.Concurrencies();
  if (!concurrencies.ok()) {
    std::cerr << concurrencies.status().message() << "\n";
    return 2;
  }
  const absl::Duration measured = bench.measured();
  const absl::Duration warmup = bench.warmup();

  testing::TestSecret secret;
  auto redis = testing::RedisServer::Start();
  if (!redis.ok()) {
    std::cerr << redis.status() << "\n";
    return 1;
  }
  auto service = testing::ServiceProcess::Start(
      {.binary = HOMECARE_ROSTER_BINARY,
       .args = {"--redis", (*redis)->address(), "--secret-file", secret.path()}});
  if (!service.ok()) {
    std::cerr << service.status() << "\n";
    return 1;
  }
  std::string coordinator_token = secret.Token(Role::kCoordinator, "bench-care");
  if (absl::Status created = CreateBenchTenant(**service, secret, "bench-care", {"central"});
      !created.ok()) {
    std::cerr << "CreateTenant: " << created.message() << "\n";
    return 1;
  }

  // One channel per worker, as independent clients would have.
  CallFactory health_check = HealthCheckCalls(**service);
  auto get_tenant = [&](const std::string& token, grpc::StatusCode expected) {
    return [&, token, expected](int) -> std::function<bool()> {
      auto stub = RosterService::NewStub((*service)->NewChannel());
      return [stub = std::shared_ptr(std::move(stub)), token, expected] {
        grpc::ClientContext context;
        PrepareContext(context, token, absl::Seconds(10));
        roster::v1::GetTenantRequest request;
        roster::v1::Tenant response;
        return stub->GetTenant(&context, request, &response).error_code() == expected;
      };
    };
  };

  std::vector<LoadResult> results;
  for (int concurrency : *concurrencies) {
    results.push_back(
        RunClosedLoop("Health/Check (baseline)", concurrency, warmup, measured, health_check));
    results.push_back(RunClosedLoop("GetTenant, bad token", concurrency, warmup, measured,
                                    get_tenant("x.y.z", grpc::StatusCode::UNAUTHENTICATED)));
    results.push_back(RunClosedLoop("GetTenant", concurrency, warmup, measured,
                                    get_tenant(coordinator_token, grpc::StatusCode::OK)));
  }
  std::cout << FormatTable(results);
  if (!AllSucceeded(results)) return 1;
  return 0;
}

}  // namespace
}  // namespace homecare::bench

int main(int argc, char** argv) { return homecare::bench::Main(argc, argv); }
