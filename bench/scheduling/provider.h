// The provider the scheduling benchmarks run on: 1,000 clients (by default) in five localities
// with care plans of one to four visits a day (3.0 on average, one bedtime visit in ten a
// double-up), about 3,000 visits a day; and, for assignment, carers spread over the localities.
#ifndef HOMECARE_BENCH_SCHEDULING_PROVIDER_H_
#define HOMECARE_BENCH_SCHEDULING_PROVIDER_H_

#include <grpcpp/support/status.h>

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "common/testing/redis_server.h"
#include "common/testing/service_process.h"
#include "common/testing/test_clock.h"
#include "common/testing/tokens.h"
#include "homecare/roster/v1/roster.grpc.pb.h"
#include "homecare/scheduling/v1/scheduling.grpc.pb.h"

namespace homecare::bench {

inline constexpr char kBenchTenant[] = "bench-care";
inline const char* const kBenchLocalities[] = {"north", "south", "east", "west", "central"};

// A redis-server, homecare-roster and homecare-scheduling (the binaries given), with the bench
// tenant made (Europe/London, kBenchLocalities).
struct SchedulingStack {
  std::unique_ptr<testing::RedisServer> redis;
  std::unique_ptr<testing::ServiceProcess> roster;
  std::unique_ptr<testing::ServiceProcess> scheduling;
};
// `clock`: the services' rules run on it (nullptr: the real clock).
absl::StatusOr<SchedulingStack> StartSchedulingStack(const testing::TestSecret& secret,
                                                     const std::string& roster_binary,
                                                     const std::string& scheduling_binary,
                                                     const testing::TestClock* clock = nullptr);

// The Monday after today (London): the first day of the week a benchmark plans.
absl::CivilDay NextMonday();

// Client `i` and its care plan in force from `effective`: a morning visit (07:30-08:30, 45
// minutes) for everyone; lunch (12:00, 30) for seven in ten; tea (17:00, 30) for four in ten;
// bed (20:30, 30) for nine in ten, a double-up for one in ten. Every visit needs personal-care.
// Clients lie within about 1.5 km of each other in each locality's share of a 15 x 15 km area.
grpc::Status SeedClient(scheduling::v1::SchedulingService::Stub& stub, const std::string& token,
                        int i, absl::CivilDay effective);

// Carer `i`: in locality i mod 5, living among its clients, driving, with personal-care,
// available every day from 07:00 to 22:00, at most 10 hours a day. Its id in `carer_id`.
grpc::Status SeedCarer(roster::v1::RosterService::Stub& stub, const std::string& token, int i,
                       std::string& carer_id);

// Carers 0 to count-1 (SeedCarer): their ids, in order.
absl::StatusOr<std::vector<std::string>> SeedCarers(roster::v1::RosterService::Stub& stub,
                                                    const std::string& token, int count);
// Clients 0 to count-1 (SeedClient) with plans in force from `effective`.
absl::Status SeedClients(scheduling::v1::SchedulingService::Stub& stub, const std::string& token,
                         int count, absl::CivilDay effective);
// GenerateVisits for `days` days from `first`.
absl::Status GenerateDays(scheduling::v1::SchedulingService::Stub& stub, const std::string& token,
                          absl::CivilDay first, int days);
// Every visit planned in the `days` local days from `first` (London), in planned-start order.
absl::StatusOr<std::vector<scheduling::v1::Visit>> ListDays(
    scheduling::v1::SchedulingService::Stub& stub, const std::string& token, absl::CivilDay first,
    int days);

// A carer (by index) for a visit: what an assignment benchmark staffs.
struct Staffing {
  const scheduling::v1::Visit* visit = nullptr;
  int carer = 0;
  absl::CivilDay day;
};
// In each slot of each day (a pattern on a date), each single-carer visit with a carer of its
// own, as far as there are `carers`: assignments that break no rule, since no carer has two
// visits of one slot and the slots of a day are hours apart.
std::vector<Staffing> OneCarerEach(const std::vector<scheduling::v1::Visit>& visits, int carers);

}  // namespace homecare::bench

#endif  // HOMECARE_BENCH_SCHEDULING_PROVIDER_H_
