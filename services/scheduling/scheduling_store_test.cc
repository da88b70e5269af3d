// The scheduling store and the Scheduling operations against a real redis-server: the scripts'
// guards against lost updates, idempotent creates, the indexes a change moves, and Redis gone.
#include "services/scheduling/scheduling_store.h"

#include <map>
#include <optional>

#include "common/redis/redis_client.h"
#include "common/status/errors.h"
#include "common/testing/redis_server.h"
#include "common/testing/status_matchers.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/scheduling/scheduling.h"
#include "services/scheduling/visit_rules.h"

namespace homecare::scheduling {
namespace {

using ::homecare::testing::IsOk;
using ::homecare::testing::RedisServer;
using ::homecare::testing::StatusIs;
using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::SizeIs;

constexpr char kTenant[] = "sunrise-care";

// The tenant's profile and carers as the roster would give them; the real roster is exercised
// by the tests under tests/.
class FixedDirectory final : public TenantDirectory {
 public:
  std::map<std::string, roster::v1::CarerDetails> carers;

  absl::StatusOr<TenantProfile> Get(const std::string& tenant_id) override {
    return TenantProfile{tenant_id, *LoadTimeZone("Europe/London"), {"north", "south"}};
  }
  absl::StatusOr<std::vector<std::string>> UnknownCarers(
      const std::string& tenant_id, const std::vector<std::string>& carer_ids) override {
    return std::vector<std::string>();
  }
  absl::StatusOr<std::vector<std::string>> ActiveCarerIds(const std::string& tenant_id) override {
    std::vector<std::string> ids;
    for (const auto& [id, details] : carers) {
      if (details.carer().active()) ids.push_back(id);
    }
    return ids;
  }
  absl::StatusOr<absl::flat_hash_map<std::string, roster::v1::CarerDetails>> GetCarers(
      const std::string& tenant_id, const CarerQuery& query) override {
    absl::flat_hash_map<std::string, roster::v1::CarerDetails> found;
    for (const std::string& id : query.carer_ids) {
      if (auto carer = carers.find(id); carer != carers.end()) found[id] = carer->second;
    }
    return found;
  }
};

absl::Time Local(int y, int m, int d, int hh, int mm = 0) {
  return LocalToInstant(absl::CivilSecond(y, m, d, hh, mm), *LoadTimeZone("Europe/London"));
}

class SchedulingStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto server = RedisServer::Start(RedisServer::Options{.append_only = false});
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = *std::move(server);
    auto client = RedisClient::Create(RedisOptions{.address = server_->address()});
    ASSERT_TRUE(client.ok()) << client.status();
    redis_ = *std::move(client);
    store_ = std::make_unique<SchedulingStore>(redis_.get());
    scheduling_ = std::make_unique<Scheduling>(store_.get(), &directory_, &clock_);

    v1::CreateClientRequest create;
    create.set_request_id("edna");
    create.mutable_client()->set_display_name("Edna");
    create.mutable_client()->set_locality_id("north");
    create.mutable_client()->mutable_location()->set_latitude(51.5);
    absl::StatusOr<v1::Client> client_made = scheduling_->CreateClient(kTenant, create);
    ASSERT_TRUE(client_made.ok()) << client_made.status();
    client_ = *client_made;

    v1::CreateCarePlanRequest plan;
    plan.set_request_id("edna-plan");
    plan.mutable_care_plan()->set_client_id(client_.client_id());
    *plan.mutable_care_plan()->mutable_effective_date() = DateToProto(absl::CivilDay(2030, 12, 1));
    plan.mutable_care_plan()->set_weekly_budget_minutes(210);
    v1::VisitPattern& am = *plan.mutable_care_plan()->add_patterns();
    am.set_pattern_id("am");
    am.add_days(common::v1::DAY_OF_WEEK_MONDAY);
    *am.mutable_start_window()->mutable_start() = TimeOfDayFromMinutes(8 * 60);
    *am.mutable_start_window()->mutable_end() = TimeOfDayFromMinutes(9 * 60);
    am.set_duration_minutes(30);
    absl::StatusOr<v1::CreateCarePlanResponse> plan_made =
        scheduling_->CreateCarePlan(kTenant, plan);
    ASSERT_TRUE(plan_made.ok()) << plan_made.status();
    plan_ = plan_made->care_plan();

    v1::GenerateVisitsRequest generate;
    *generate.mutable_start_date() = DateToProto(absl::CivilDay(2030, 12, 2));  // a Monday
    *generate.mutable_end_date() = DateToProto(absl::CivilDay(2030, 12, 2));
    absl::StatusOr<v1::GenerateVisitsResponse> generated =
        scheduling_->GenerateVisits(kTenant, generate);
    ASSERT_TRUE(generated.ok()) << generated.status();
    ASSERT_EQ(generated->visits_created(), 1);
    visit_id_ = GeneratedVisitId(kTenant, plan_.care_plan_id(), "am", absl::CivilDay(2030, 12, 2));
  }

  std::vector<std::string> VisitIdsAt(absl::Time from, absl::Time before,
                                      const std::string& locality = "") {
    absl::StatusOr<ScoredIdPage> page =
        store_->ListVisitIds(kTenant, {.locality_id = locality}, from, before, "", 100);
    EXPECT_TRUE(page.ok()) << page.status();
    return page.ok() ? page->ids : std::vector<std::string>();
  }

  FakeClock clock_{Local(2030, 11, 20, 12)};
  FixedDirectory directory_;
  std::unique_ptr<RedisServer> server_;
  std::unique_ptr<RedisClient> redis_;
  std::unique_ptr<SchedulingStore> store_;
  std::unique_ptr<Scheduling> scheduling_;
  v1::Client client_;
  v1::CarePlan plan_;
  std::string visit_id_;
};

TEST_F(SchedulingStoreTest, AWriteComputedFromAStaleReadIsRefusedAndWritesNothing) {
  absl::StatusOr<Snapshot<v1::Visit>> stale = store_->ReadVisit(kTenant, visit_id_);
  ASSERT_THAT(stale.status(), IsOk());
  // A coordinator moves the visit to 08:30...
  v1::UpdateVisitRequest move;
  move.mutable_visit()->set_visit_id(visit_id_);
  *move.mutable_visit()->mutable_planned_start() = TimeToProto(Local(2030, 12, 2, 8, 30));
  move.mutable_update_mask()->add_paths("planned_start");
  ASSERT_THAT(scheduling_->UpdateVisit(kTenant, move).status(), IsOk());
  // ...so a change computed from the earlier read is refused, and so is a replacement.
  v1::Visit lost = stale->record;
  lost.set_duration_minutes(60);
  absl::Status refused = store_->WriteVisit(kTenant, {.read = &*stale, .updated = lost}).status();
  EXPECT_THAT(refused, StatusIs(absl::StatusCode::kAborted));
  EXPECT_EQ(ErrorReasonOf(refused), kConcurrentWriteReason);
  absl::StatusOr<int> replaced = store_->WriteVisits(kTenant, {{.read = &*stale, .updated = lost}});
  ASSERT_THAT(replaced.status(), IsOk());
  EXPECT_EQ(*replaced, 0);
  absl::StatusOr<Snapshot<v1::Visit>> now = store_->ReadVisit(kTenant, visit_id_);
  EXPECT_EQ(now->record.duration_minutes(), 30);
  EXPECT_EQ(absl::FromUnixSeconds(now->record.planned_start().seconds()),
            Local(2030, 12, 2, 8, 30));
  // The indexes moved with the planned start.
  EXPECT_THAT(VisitIdsAt(Local(2030, 12, 2, 8, 30), Local(2030, 12, 2, 8, 31)),
              ElementsAre(visit_id_));
  EXPECT_THAT(VisitIdsAt(Local(2030, 12, 2, 8), Local(2030, 12, 2, 8, 30)), IsEmpty());
  EXPECT_THAT(VisitIdsAt(Local(2030, 12, 2, 0), Local(2030, 12, 3, 0), "north"),
              ElementsAre(visit_id_));
  EXPECT_THAT(VisitIdsAt(Local(2030, 12, 2, 0), Local(2030, 12, 3, 0), "south"), IsEmpty());
}

TEST_F(SchedulingStoreTest, GeneratedVisitsAreCreatedOnceAndOneOffsAreIdempotent) {
  absl::StatusOr<Snapshot<v1::Visit>> visit = store_->ReadVisit(kTenant, visit_id_);
  ASSERT_THAT(visit.status(), IsOk());
  v1::Visit again = visit->record;
  again.set_duration_minutes(99);
  absl::StatusOr<int> created = store_->CreateGeneratedVisits(kTenant, {again});
  ASSERT_THAT(created.status(), IsOk());
  EXPECT_EQ(*created, 0);
  EXPECT_EQ(store_->ReadVisit(kTenant, visit_id_)->record.duration_minutes(), 30);

  v1::Visit one_off = visit->record;
  one_off.set_visit_id("vis_oneoff");
  one_off.clear_pattern_id();
  ASSERT_THAT(store_->CreateVisit(kTenant, one_off, "fp-1").status(), IsOk());
  absl::StatusOr<Created<v1::Visit>> retried = store_->CreateVisit(kTenant, one_off, "fp-1");
  ASSERT_THAT(retried.status(), IsOk());
  EXPECT_TRUE(retried->duplicate);
  EXPECT_THAT(store_->CreateVisit(kTenant, one_off, "fp-2").status(),
              StatusIs(absl::StatusCode::kAlreadyExists));
}

TEST_F(SchedulingStoreTest, PlanVersionsAreAddedInOrderAndRequestsRemembered) {
  v1::CarePlan second = plan_;
  second.set_version(2);
  ASSERT_THAT(store_->AddCarePlanVersion(kTenant, second, "second", "fp-second").status(), IsOk());
  // Another version 2 computed from the same latest version loses the race.
  EXPECT_THAT(store_->AddCarePlanVersion(kTenant, second, "rival", "fp-rival").status(),
              StatusIs(absl::StatusCode::kAborted));
  absl::StatusOr<SchedulingStore::AddVersionOutcome> earlier =
      store_->ReadCarePlanRequest(kTenant, "second");
  ASSERT_THAT(earlier.status(), IsOk());
  EXPECT_EQ(earlier->previous_plan_id, plan_.care_plan_id());
  EXPECT_EQ(earlier->previous_version, 2);
  EXPECT_EQ(earlier->previous_fingerprint, "fp-second");
  absl::StatusOr<std::vector<v1::CarePlan>> versions =
      store_->ReadCarePlan(kTenant, plan_.care_plan_id());
  ASSERT_THAT(versions.status(), IsOk());
  EXPECT_THAT(*versions, SizeIs(2));
  // A plan for a client the tenant does not have is refused.
  v1::CarePlan orphan = plan_;
  orphan.set_care_plan_id("pln_orphan");
  orphan.set_client_id("cli_elsewhere");
  orphan.set_version(1);
  EXPECT_THAT(store_->AddCarePlanVersion(kTenant, orphan, "orphan", "fp").status(),
              StatusIs(absl::StatusCode::kNotFound));
  EXPECT_THAT(store_->ReadCarePlan("oak-care", plan_.care_plan_id()).status(),
              StatusIs(absl::StatusCode::kNotFound));
}

// Ann: active, available on Mondays from 07:00 to 13:00.
roster::v1::CarerDetails Ann() {
  roster::v1::CarerDetails ann;
  ann.mutable_carer()->set_carer_id("car_ann");
  ann.mutable_carer()->set_display_name("Ann");
  ann.mutable_carer()->set_active(true);
  ann.mutable_carer()->set_locality_id("north");
  roster::v1::WeeklyBlock& monday = *ann.mutable_availability()->add_weekly();
  monday.set_day(common::v1::DAY_OF_WEEK_MONDAY);
  *monday.mutable_time()->mutable_start() = TimeOfDayFromMinutes(7 * 60);
  *monday.mutable_time()->mutable_end() = TimeOfDayFromMinutes(13 * 60);
  return ann;
}

TEST_F(SchedulingStoreTest, AWriteCheckedAgainstACarerDayThatChangedIsRefused) {
  directory_.carers["car_ann"] = Ann();
  const absl::CivilDay monday(2030, 12, 2);
  const SchedulingRecords::CarerScheduleQuery query{.carer_id = "car_ann",
                                                    .from = Local(2030, 12, 1, 0),
                                                    .before = Local(2030, 12, 5, 0),
                                                    .first_day = monday - 2,
                                                    .last_day = monday + 2,
                                                    .client_id = client_.client_id(),
                                                    .visited_before = clock_.Now()};
  absl::StatusOr<SchedulingRecords::CarerSchedule> before =
      store_->ReadCarerSchedule(kTenant, query);
  ASSERT_THAT(before.status(), IsOk());
  ASSERT_THAT(before->versions, SizeIs(5));
  for (const auto& day : before->versions) EXPECT_EQ(day.version, 0);
  EXPECT_THAT(before->visits, IsEmpty());

  // A one-off visit the same morning, then Ann on the generated one.
  v1::CreateVisitRequest one_off;
  one_off.set_request_id("second-visit");
  one_off.mutable_visit()->set_client_id(client_.client_id());
  *one_off.mutable_visit()->mutable_window_start() = TimeToProto(Local(2030, 12, 2, 8));
  *one_off.mutable_visit()->mutable_window_end() = TimeToProto(Local(2030, 12, 2, 9));
  one_off.mutable_visit()->set_duration_minutes(30);
  absl::StatusOr<v1::Visit> second = scheduling_->CreateVisit(kTenant, one_off);
  ASSERT_THAT(second.status(), IsOk());
  v1::AssignCarersRequest assign;
  assign.set_visit_id(visit_id_);
  assign.add_carer_ids("car_ann");
  ASSERT_THAT(scheduling_->AssignCarers(kTenant, assign).status(), IsOk());

  // A write of the other visit checked against the days as they were before is refused,
  // and writes nothing: the double-booking a racing replica would have made.
  absl::StatusOr<Snapshot<v1::Visit>> read = store_->ReadVisit(kTenant, second->visit_id());
  ASSERT_THAT(read.status(), IsOk());
  v1::Visit booked = read->record;
  booked.add_carer_ids("car_ann");
  absl::Status raced = store_
                           ->WriteVisit(kTenant, {.read = &*read,
                                                  .updated = booked,
                                                  .kind = v1::VisitChange::KIND_ASSIGNED,
                                                  .checked = before->versions})
                           .status();
  EXPECT_THAT(raced, StatusIs(absl::StatusCode::kAborted));
  EXPECT_EQ(ErrorReasonOf(raced), kConcurrentWriteReason);
  EXPECT_THAT(store_->ReadVisit(kTenant, second->visit_id())->record.carer_ids(), IsEmpty());
  // Read again, the rules see Ann's visit, and the domain refuses outright.
  absl::StatusOr<SchedulingRecords::CarerSchedule> after =
      store_->ReadCarerSchedule(kTenant, query);
  ASSERT_THAT(after.status(), IsOk());
  EXPECT_EQ(after->versions[2].day, monday);
  EXPECT_EQ(after->versions[2].version, 1);
  ASSERT_THAT(after->visits, SizeIs(1));
  EXPECT_EQ(after->visits[0].visit_id(), visit_id_);
  EXPECT_FALSE(after->has_visited_client) << "the visit has not started";
  assign.set_visit_id(second->visit_id());
  absl::Status refused = scheduling_->AssignCarers(kTenant, assign).status();
  EXPECT_THAT(refused, StatusIs(absl::StatusCode::kFailedPrecondition));
  ASSERT_THAT(PreconditionViolationsOf(refused), SizeIs(1));
  EXPECT_EQ(PreconditionViolationsOf(refused)[0].type(), "OVERLAPS_ANOTHER_VISIT");

  // Once her visit has started she has met the client; a cancelled visit would not count.
  SchedulingRecords::CarerScheduleQuery later = query;
  later.visited_before = Local(2030, 12, 2, 8, 1);
  EXPECT_TRUE(store_->ReadCarerSchedule(kTenant, later)->has_visited_client);
  v1::CancelVisitRequest cancel;
  cancel.set_visit_id(visit_id_);
  cancel.mutable_cancellation()->set_reason(v1::CANCELLATION_REASON_CANCELLED_BY_CLIENT);
  cancel.mutable_cancellation()->set_requested_by("Edna");
  ASSERT_THAT(scheduling_->CancelVisit(kTenant, "coordinator", cancel).status(), IsOk());
  absl::StatusOr<SchedulingRecords::CarerSchedule> cancelled =
      store_->ReadCarerSchedule(kTenant, later);
  EXPECT_FALSE(cancelled->has_visited_client);
  EXPECT_EQ(cancelled->versions[2].version, 2) << "the cancellation changed her day";
  // Her index still names the cancelled visit, so her phone can list it as cancelled.
  absl::StatusOr<ScoredIdPage> hers = store_->ListVisitIds(
      kTenant, {.carer_id = "car_ann"}, Local(2030, 12, 2, 0), Local(2030, 12, 3, 0), "", 10);
  ASSERT_THAT(hers.status(), IsOk());
  EXPECT_THAT(hers->ids, ElementsAre(visit_id_));
}

TEST_F(SchedulingStoreTest, OneSolveLeasePerTenantAndDateAndRequestsKeptOnce) {
  const absl::CivilDay tuesday(2030, 12, 3);
  // Whether `token` took the lease; a failure fails the test.
  auto Take = [&](const std::string& tenant, absl::CivilDay date, const std::string& token) {
    absl::StatusOr<bool> taken = store_->TakeSolveLease(tenant, date, token, absl::Minutes(5));
    EXPECT_THAT(taken.status(), IsOk());
    return taken.value_or(false);
  };
  EXPECT_EQ(Take(kTenant, tuesday, "a/1"), true);
  EXPECT_EQ(Take(kTenant, tuesday, "b/1"), false);
  EXPECT_EQ(Take(kTenant, tuesday + 1, "b/1"), true);
  EXPECT_EQ(Take("t_other", tuesday, "b/2"), true);
  EXPECT_THAT(store_->ReleaseSolveLease(kTenant, tuesday, "b/1"), IsOk());  // not b's: kept
  EXPECT_EQ(Take(kTenant, tuesday, "b/3"), false);
  EXPECT_THAT(store_->ReleaseSolveLease(kTenant, tuesday, "a/1"), IsOk());
  EXPECT_EQ(Take(kTenant, tuesday, "b/3"), true);

  EXPECT_THAT(store_->KeepRequest(kTenant, "plan-1", {"fp", "plan"}), IsOk());
  EXPECT_THAT(store_->KeepRequest(kTenant, "plan-1", {"fp2", "other"}), IsOk());
  absl::StatusOr<std::optional<SchedulingRecords::RequestRecord>> kept =
      store_->ReadRequest(kTenant, "plan-1");
  ASSERT_THAT(kept.status(), IsOk());
  ASSERT_TRUE(kept->has_value());
  EXPECT_EQ((*kept)->fingerprint, "fp") << "the first one kept";
  EXPECT_EQ((*kept)->response, "plan");
}

TEST_F(SchedulingStoreTest, ARequestRecordAnswersTheRetryAndWritesNothing) {
  absl::StatusOr<Snapshot<v1::Visit>> read = store_->ReadVisit(kTenant, visit_id_);
  ASSERT_THAT(read.status(), IsOk());
  v1::Visit first = read->record;
  first.set_version(2);
  absl::StatusOr<SchedulingRecords::WriteOutcome> written = store_->WriteVisit(
      kTenant, {.read = &*read, .updated = first, .request_id = "req-1", .request = {"fp", "r1"}});
  ASSERT_THAT(written.status(), IsOk());
  EXPECT_TRUE(written->written);
  absl::StatusOr<std::optional<SchedulingRecords::RequestRecord>> kept =
      store_->ReadRequest(kTenant, "req-1");
  ASSERT_THAT(kept.status(), IsOk());
  ASSERT_TRUE(kept->has_value());
  EXPECT_EQ((*kept)->fingerprint, "fp");
  EXPECT_EQ((*kept)->response, "r1");
  // A second write under the same request id, even from a fresh read, is answered with the
  // first one's record.
  absl::StatusOr<Snapshot<v1::Visit>> again = store_->ReadVisit(kTenant, visit_id_);
  v1::Visit second = again->record;
  second.set_version(3);
  written = store_->WriteVisit(
      kTenant, {.read = &*again, .updated = second, .request_id = "req-1", .request = {"fp2", ""}});
  ASSERT_THAT(written.status(), IsOk());
  EXPECT_FALSE(written->written);
  ASSERT_TRUE(written->earlier.has_value());
  EXPECT_EQ(written->earlier->fingerprint, "fp");
  EXPECT_EQ(store_->ReadVisit(kTenant, visit_id_)->record.version(), 2);
  EXPECT_FALSE(store_->ReadRequest(kTenant, "req-2")->has_value());
}

TEST_F(SchedulingStoreTest, RedisGoneIsUnavailable) {
  ASSERT_THAT(server_->Stop(), IsOk());
  EXPECT_THAT(store_->ReadVisit(kTenant, visit_id_).status(),
              StatusIs(absl::StatusCode::kUnavailable));
  v1::GenerateVisitsRequest generate;
  *generate.mutable_start_date() = DateToProto(absl::CivilDay(2030, 12, 9));
  *generate.mutable_end_date() = DateToProto(absl::CivilDay(2030, 12, 9));
  EXPECT_THAT(scheduling_->GenerateVisits(kTenant, generate).status(),
              StatusIs(absl::StatusCode::kUnavailable));
}

}  // namespace
}  // namespace homecare::scheduling
