// The visits the check-in benchmarks check carers in to: a bench provider (provider.h) seeded in
// a tenant, each single-carer visit of its days staffed with a carer of its own (OneCarerEach),
// and the check-in service's view of each visit shown to hold its assignment before any timing
// starts, so that no call falls back to asking scheduling.
#ifndef HOMECARE_BENCH_CHECKIN_CHECKIN_SUPPLY_H_
#define HOMECARE_BENCH_CHECKIN_CHECKIN_SUPPLY_H_

#include <grpcpp/channel.h>

#include <atomic>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "bench/load/load_generator.h"
#include "common/redis/redis_client.h"
#include "common/testing/tokens.h"
#include "common/time/time.h"
#include "homecare/checkin/v1/checkin.pb.h"
#include "homecare/common/v1/types.pb.h"

namespace homecare::bench {

// A carer on a visit: what one phone checks in and out of.
struct CheckInPair {
  std::string tenant;
  std::string visit_id;
  std::string carer_id;
  std::string carer_token;
  common::v1::GeoPoint home;  // the client's
  int64_t version = 0;        // the visit's version once assigned
};

// Runs `work(i)` for i in [0, count) on `threads` threads; false if any returned false (the
// rest are then skipped).
bool ParallelFor(int count, int threads, const std::function<bool(int)>& work);

struct SupplyOptions {
  std::string tenant;  // made already, with the bench localities
  int clients = 1000;
  int carers = 1000;
  absl::CivilDay first_day;
  int days = 10;
};
// Seeds the provider through the roster and scheduling channels (as the tenant's coordinator)
// and assigns each single-carer visit of the days its carer: the pairs, in planned-start order.
absl::StatusOr<std::vector<CheckInPair>> StaffProvider(std::shared_ptr<grpc::Channel> roster,
                                                       std::shared_ptr<grpc::Channel> scheduling,
                                                       const testing::TestSecret& secret,
                                                       const SupplyOptions& options);

// The check-in service's view of a visit (hc:{tenant}:checkin:visit:<id>).
std::string CheckInViewKey(const CheckInPair& pair);

// Waits until the check-in service's view of each pair's visit holds at least its version.
absl::Status WaitUntilFollowed(RedisClient& redis, const std::vector<CheckInPair>& pairs,
                               absl::Duration timeout);

// The CheckIn calls of a load row, each worker on its own channel from `new_channel`: each call
// checks the next pair's carer in (`next` counts them out; `checked_in` counts successes) and
// fails once the supply is used up (give more days).
CallFactory CheckInCalls(std::function<std::shared_ptr<grpc::Channel>()> new_channel,
                         const std::vector<CheckInPair>& pairs, std::atomic<size_t>& next,
                         std::atomic<size_t>& checked_in);

// A phone's event at the client's door (11 m away, GPS, 10 m accuracy), tapped and sent now with
// its clock right.
template <typename Request>
Request EventAtTheDoor(const CheckInPair& pair, const std::string& event_id) {
  Request request;
  request.set_event_id(event_id);
  request.set_visit_id(pair.visit_id);
  request.set_method(checkin::v1::CHECK_IN_METHOD_GPS);
  *request.mutable_location() = pair.home;
  request.mutable_location()->set_latitude(pair.home.latitude() + 0.0001);
  request.set_accuracy_meters(10);
  const google::protobuf::Timestamp now = TimeToProto(absl::Now());
  *request.mutable_device_time() = now;
  *request.mutable_sent_time() = now;
  return request;
}

}  // namespace homecare::bench

#endif  // HOMECARE_BENCH_CHECKIN_CHECKIN_SUPPLY_H_
