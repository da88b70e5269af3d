#include "bench/checkin/checkin_supply.h"

#include <iostream>
#include <map>
#include <mutex>
#include <utility>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "bench/scheduling/provider.h"
#include "common/client/channel.h"
#include "homecare/checkin/v1/checkin.grpc.pb.h"
#include "homecare/roster/v1/roster.grpc.pb.h"
#include "homecare/scheduling/v1/scheduling.grpc.pb.h"

namespace homecare::bench {

namespace sv1 = scheduling::v1;

bool ParallelFor(int count, int threads, const std::function<bool(int)>& work) {
  std::atomic<int> next{0};
  std::atomic<bool> ok{true};
  std::vector<std::thread> pool;
  for (int t = 0; t < threads; ++t) {
    pool.emplace_back([&] {
      for (int i = next++; i < count && ok; i = next++) {
        if (!work(i)) ok = false;
      }
    });
  }
  for (std::thread& thread : pool) thread.join();
  return ok;
}

namespace {

absl::StatusOr<std::map<std::string, common::v1::GeoPoint>> ClientHomes(
    sv1::SchedulingService::Stub& scheduling, const std::string& token) {
  std::map<std::string, common::v1::GeoPoint> homes;
  sv1::ListClientsRequest request;
  request.set_page_size(200);
  do {
    sv1::ListClientsResponse page;
    grpc::ClientContext context;
    PrepareContext(context, token, absl::Seconds(30));
    if (grpc::Status status = scheduling.ListClients(&context, request, &page); !status.ok()) {
      return absl::InternalError("ListClients: " + status.error_message());
    }
    for (const sv1::Client& client : page.clients()) homes[client.client_id()] = client.location();
    request.set_page_token(page.next_page_token());
  } while (!request.page_token().empty());
  return homes;
}

}  // namespace

absl::StatusOr<std::vector<CheckInPair>> StaffProvider(std::shared_ptr<grpc::Channel> roster,
                                                       std::shared_ptr<grpc::Channel> scheduling,
                                                       const testing::TestSecret& secret,
                                                       const SupplyOptions& options) {
  const std::string token = secret.Token(Role::kCoordinator, options.tenant);
  auto scheduling_stub = sv1::SchedulingService::NewStub(scheduling);
  auto roster_stub = roster::v1::RosterService::NewStub(roster);
  absl::StatusOr<std::vector<std::string>> carers = SeedCarers(*roster_stub, token, options.carers);
  if (!carers.ok()) return carers.status();
  if (absl::Status seeded =
          SeedClients(*scheduling_stub, token, options.clients, options.first_day);
      !seeded.ok()) {
    return seeded;
  }
  if (absl::Status generated =
          GenerateDays(*scheduling_stub, token, options.first_day, options.days);
      !generated.ok()) {
    return generated;
  }
  absl::StatusOr<std::vector<sv1::Visit>> visits =
      ListDays(*scheduling_stub, token, options.first_day, options.days);
  if (!visits.ok()) return visits.status();
  absl::StatusOr<std::map<std::string, common::v1::GeoPoint>> homes =
      ClientHomes(*scheduling_stub, token);
  if (!homes.ok()) return homes.status();

  // One token a carer, as a phone keeps its token until it expires: the services' verifier
  // caches it, where a new token every call would be verified afresh.
  std::vector<std::string> carer_tokens;
  for (const std::string& carer : *carers) {
    carer_tokens.push_back(secret.Token(Role::kCarer, options.tenant, carer));
  }
  std::vector<CheckInPair> pairs;
  for (const Staffing& staffing : OneCarerEach(*visits, options.carers)) {
    pairs.push_back({.tenant = options.tenant,
                     .visit_id = staffing.visit->visit_id(),
                     .carer_id = (*carers)[staffing.carer],
                     .carer_token = carer_tokens[staffing.carer],
                     .home = (*homes)[staffing.visit->client_id()]});
  }
  absl::Status failure;
  std::mutex failure_mutex;
  const bool staffed = ParallelFor(static_cast<int>(pairs.size()), 8, [&](int i) {
    sv1::AssignCarersRequest request;
    request.set_visit_id(pairs[i].visit_id);
    request.add_carer_ids(pairs[i].carer_id);
    sv1::AssignCarersResponse response;
    grpc::ClientContext context;
    PrepareContext(context, token, absl::Seconds(30));
    grpc::Status status = scheduling_stub->AssignCarers(&context, request, &response);
    if (!status.ok()) {
      std::lock_guard lock(failure_mutex);
      failure = absl::InternalError("AssignCarers: " + status.error_message());
      return false;
    }
    pairs[i].version = response.visit().version();
    return true;
  });
  if (!staffed) return failure;
  return pairs;
}

std::string CheckInViewKey(const CheckInPair& pair) {
  return absl::StrCat("hc:{", pair.tenant, "}:checkin:visit:", pair.visit_id);
}

absl::Status WaitUntilFollowed(RedisClient& redis, const std::vector<CheckInPair>& pairs,
                               absl::Duration timeout) {
  const absl::Time give_up = absl::Now() + timeout;
  for (const CheckInPair& pair : pairs) {
    while (true) {
      absl::StatusOr<RedisReply> seen = redis.Command({"HGET", CheckInViewKey(pair), "v"});
      int64_t version = 0;
      if (seen.ok() && absl::SimpleAtoi(seen->str, &version) && version >= pair.version) break;
      if (absl::Now() > give_up) {
        return absl::DeadlineExceededError(
            absl::StrCat("the check-in service did not follow the assignments within ",
                         absl::FormatDuration(timeout)));
      }
      absl::SleepFor(absl::Milliseconds(50));
    }
  }
  return absl::OkStatus();
}

CallFactory CheckInCalls(std::function<std::shared_ptr<grpc::Channel>()> new_channel,
                         const std::vector<CheckInPair>& pairs, std::atomic<size_t>& next,
                         std::atomic<size_t>& checked_in) {
  return [new_channel, &pairs, &next, &checked_in](int) -> std::function<bool()> {
    auto stub = std::shared_ptr(checkin::v1::CheckInService::NewStub(new_channel()));
    return [stub, &pairs, &next, &checked_in]() {
      const size_t index = next++;
      if (index >= pairs.size()) return false;
      const CheckInPair& pair = pairs[index];
      auto request = EventAtTheDoor<checkin::v1::CheckInRequest>(pair, absl::StrCat("in-", index));
      checkin::v1::CheckInResponse response;
      grpc::ClientContext context;
      PrepareContext(context, pair.carer_token, absl::Seconds(10));
      grpc::Status status = stub->CheckIn(&context, request, &response);
      if (!status.ok() || !response.exceptions().empty()) {
        std::cerr << "CheckIn: " << status.error_message() << response.ShortDebugString() << "\n";
        return false;
      }
      ++checked_in;
      return true;
    };
  };
}

}  // namespace homecare::bench
