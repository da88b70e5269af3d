// What every benchmark of a service process shares: its command-line shape and the baseline
// row, grpc.health.v1.Health/Check on the same server.
#ifndef HOMECARE_BENCH_LOAD_SERVICE_BENCH_H_
#define HOMECARE_BENCH_LOAD_SERVICE_BENCH_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "absl/types/span.h"
#include "bench/load/load_generator.h"
#include "common/config/flags.h"
#include "common/testing/redis_server.h"
#include "common/testing/service_process.h"
#include "common/testing/tokens.h"

namespace homecare::bench {

// The flags of a service benchmark: --seconds, --concurrency (comma-separated), --smoke.
struct ServiceBenchFlags {
  double seconds = 5;
  std::string concurrency = "1,8";
  bool smoke = false;

  void Register(FlagSet& flags);
  // The concurrencies asked for; INVALID_ARGUMENT for anything but positive integers.
  absl::StatusOr<std::vector<int>> Concurrencies() const;
  // A smoke run is a few calls a row, to check that the benchmark still works.
  absl::Duration measured() const;
  absl::Duration warmup() const;
};

// Parses the command line into `flags` (with a ServiceBenchFlags registered): the exit code to
// return at once (0 after --help, 2 for a bad flag), or nullopt to go on.
std::optional<int> ParseBenchFlags(FlagSet& flags, int argc, char** argv);
// Creates a tenant (Europe/London) with `localities` in the roster, as an operator.
absl::Status CreateBenchTenant(const testing::ServiceProcess& roster,
                               const testing::TestSecret& secret, const std::string& tenant_id,
                               absl::Span<const char* const> localities);

// The baseline: each worker calls Health/Check on its own channel to `service`.
CallFactory HealthCheckCalls(const testing::ServiceProcess& service);
// The same on its own channel to `target` (MakeChannel: several replicas go round robin).
CallFactory HealthCheckCalls(const std::string& target);

// Redis's used_memory (INFO memory): what a benchmark's data costs is the difference before and
// after seeding it.
absl::StatusOr<int64_t> RedisUsedMemory(testing::RedisServer& redis);

// Prints a row's failure on stderr; true when every row made calls without errors.
bool AllSucceeded(const std::vector<LoadResult>& results);

}  // namespace homecare::bench

#endif  // HOMECARE_BENCH_LOAD_SERVICE_BENCH_H_
