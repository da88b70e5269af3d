// The roster store and the Roster operations against a real redis-server: the scripts' guards
// against lost updates (what a race between two coordinators does), and the retry that recomputes
// a write that lost one.
#include "services/roster/roster_store.h"

#include "common/redis/redis_client.h"
#include "common/status/errors.h"
#include "common/testing/redis_server.h"
#include "common/testing/status_matchers.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/roster/carer_rules.h"
#include "services/roster/roster.h"
#include "services/roster/tenant_rules.h"

namespace homecare::roster {
namespace {

using ::homecare::testing::IsOk;
using ::homecare::testing::RedisServer;
using ::homecare::testing::StatusIs;

constexpr char kTenant[] = "sunrise-care";

class RosterStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto server = RedisServer::Start(RedisServer::Options{.append_only = false});
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = *std::move(server);
    auto client = RedisClient::Create(RedisOptions{.address = server_->address()});
    ASSERT_TRUE(client.ok()) << client.status();
    redis_ = *std::move(client);
    store_ = std::make_unique<RosterStore>(redis_.get());
    roster_ = std::make_unique<Roster>(store_.get(), &clock_);

    v1::Tenant tenant;
    tenant.set_tenant_id(kTenant);
    tenant.set_display_name("Sunrise");
    tenant.add_localities()->set_locality_id("north");
    tenant.mutable_localities(0)->set_display_name("North");
    tenant.set_minimum_hourly_pay_pence(1260);
    ASSERT_TRUE(store_->CreateTenant(NewTenantRecord(tenant, clock_.Now()), "fp").ok());
  }

  v1::Carer NewCarer() {
    v1::CreateCarerRequest request;
    v1::Carer& carer = *request.mutable_carer();
    carer.set_display_name("Ann");
    carer.set_gender(common::v1::GENDER_FEMALE);
    carer.set_locality_id("north");
    carer.mutable_home()->set_latitude(51.5);
    carer.set_hourly_rate_pence(1300);
    carer.set_travel_mode(v1::TRAVEL_MODE_WALKS);
    absl::StatusOr<v1::Carer> created = roster_->CreateCarer(kTenant, request);
    EXPECT_TRUE(created.ok()) << created.status();
    return *created;
  }

  v1::CarerChange Change(const std::string& carer_id) {
    v1::CarerChange change;
    change.set_tenant_id(kTenant);
    change.set_carer_id(carer_id);
    change.set_kind(v1::CarerChange::KIND_CARER_UPDATED);
    return change;
  }

  int64_t StreamLength() {
    absl::StatusOr<RedisReply> length =
        redis_->Command({"XLEN", RosterStore::ChangeStreamKey(kTenant)});
    return length.ok() ? length->integer : -1;
  }

  FakeClock clock_{absl::FromUnixSeconds(1'795'000'000)};
  std::unique_ptr<RedisServer> server_;
  std::unique_ptr<RedisClient> redis_;
  std::unique_ptr<RosterStore> store_;
  std::unique_ptr<Roster> roster_;
};

TEST_F(RosterStoreTest, AWriteFromAStaleReadIsRefusedAndWritesNothing) {
  v1::Carer carer = NewCarer();
  absl::StatusOr<Snapshot<v1::Tenant>> tenant = store_->ReadTenant(kTenant);
  absl::StatusOr<Snapshot<v1::Carer>> read = store_->ReadCarer(kTenant, carer.carer_id());
  ASSERT_TRUE(tenant.ok() && read.ok());
  const int64_t changes = StreamLength();

  // Two coordinators read the same record; the first to write wins.
  v1::Carer first = ApplyCarerUpdate(read->record, v1::Carer(), {}, clock_.Now());
  first.set_display_name("Ann Lee");
  ASSERT_THAT(store_->UpdateCarer(*tenant, *read, first, Change(carer.carer_id())), IsOk());
  v1::Carer second = read->record;
  second.set_max_minutes_per_day(300);
  absl::Status lost = store_->UpdateCarer(*tenant, *read, second, Change(carer.carer_id()));
  EXPECT_THAT(lost, StatusIs(absl::StatusCode::kAborted));
  EXPECT_EQ(ErrorReasonOf(lost), kConcurrentWriteReason);
  absl::StatusOr<Snapshot<v1::Carer>> stored = store_->ReadCarer(kTenant, carer.carer_id());
  EXPECT_EQ(stored->record.display_name(), "Ann Lee");
  EXPECT_EQ(stored->record.max_minutes_per_day(), 0);
  EXPECT_EQ(StreamLength(), changes + 1);  // no change entry for the refused write
}

TEST_F(RosterStoreTest, ACarerWriteValidatedAgainstAnOldTenantProfileIsRefused) {
  v1::Carer carer = NewCarer();
  absl::StatusOr<Snapshot<v1::Tenant>> old_profile = store_->ReadTenant(kTenant);
  absl::StatusOr<Snapshot<v1::Carer>> read = store_->ReadCarer(kTenant, carer.carer_id());
  ASSERT_TRUE(old_profile.ok() && read.ok());
  // Meanwhile the minimum pay goes up (no carer changed, so the tenant update goes through).
  v1::UpdateTenantRequest raise;
  raise.mutable_tenant()->set_minimum_hourly_pay_pence(1290);
  raise.mutable_update_mask()->add_paths("minimum_hourly_pay_pence");
  ASSERT_TRUE(roster_->UpdateTenant(kTenant, raise).ok());
  // A pay cut checked against the old minimum must not land.
  v1::Carer cut = read->record;
  cut.set_hourly_rate_pence(1270);
  EXPECT_THAT(store_->UpdateCarer(*old_profile, *read, cut, Change(carer.carer_id())),
              StatusIs(absl::StatusCode::kAborted));
  // Through Roster the write is recomputed against the new profile and refused for what it is.
  v1::UpdateCarerRequest request;
  request.mutable_carer()->set_carer_id(carer.carer_id());
  request.mutable_carer()->set_hourly_rate_pence(1270);
  request.mutable_update_mask()->add_paths("hourly_rate_pence");
  absl::StatusOr<v1::Carer> refused = roster_->UpdateCarer(kTenant, request);
  EXPECT_THAT(refused.status(), StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(ViolatedFields(refused.status()), ::testing::ElementsAre("carer.hourly_rate_pence"));
}

TEST_F(RosterStoreTest, ATenantChangeRacingACarerWriteIsRefused) {
  v1::Carer carer = NewCarer();
  absl::StatusOr<Snapshot<v1::Tenant>> tenant = store_->ReadTenant(kTenant);
  absl::StatusOr<RosterStore::AllCarers> carers = store_->ReadAllCarers(kTenant);
  ASSERT_TRUE(tenant.ok() && carers.ok());
  // A carer changes after the tenant change checked the carers...
  absl::StatusOr<Snapshot<v1::Carer>> read = store_->ReadCarer(kTenant, carer.carer_id());
  v1::Carer renamed = read->record;
  renamed.set_display_name("Ann B");
  ASSERT_THAT(store_->UpdateCarer(*tenant, *read, renamed, Change(carer.carer_id())), IsOk());
  // ...so the check no longer holds and the tenant change must not land.
  v1::Tenant updated = tenant->record;
  updated.set_minimum_hourly_pay_pence(1300);
  EXPECT_THAT(store_->UpdateTenant(*tenant, updated, carers->revision),
              StatusIs(absl::StatusCode::kAborted));
  EXPECT_EQ(store_->GetTenant(kTenant)->minimum_hourly_pay_pence(), 1260);
}

TEST_F(RosterStoreTest, AbsenceIndexesFollowEndAndCancel) {
  v1::Carer carer = NewCarer();
  v1::RecordAbsenceRequest record;
  record.mutable_absence()->set_carer_id(carer.carer_id());
  record.mutable_absence()->set_kind(v1::ABSENCE_KIND_SICKNESS);
  *record.mutable_absence()->mutable_start_time() = TimeToProto(clock_.Now());
  absl::StatusOr<v1::Absence> absence = roster_->RecordAbsence(kTenant, record);
  ASSERT_TRUE(absence.ok()) << absence.status();
  const absl::Time later = clock_.Now() + absl::Hours(24 * 30);
  EXPECT_EQ(store_->ReadCurrentAbsences(kTenant, later)->size(), 1u);  // open-ended

  v1::EndAbsenceRequest end;
  end.set_absence_id(absence->absence_id());
  *end.mutable_end_time() = TimeToProto(clock_.Now() + absl::Hours(48));
  ASSERT_TRUE(roster_->EndAbsence(kTenant, end).ok());
  EXPECT_TRUE(store_->ReadCurrentAbsences(kTenant, later)->empty());
  EXPECT_EQ(store_->ReadCurrentAbsences(kTenant, clock_.Now())->size(), 1u);

  v1::CancelAbsenceRequest cancel;
  cancel.set_absence_id(absence->absence_id());
  ASSERT_TRUE(roster_->CancelAbsence(kTenant, cancel).ok());
  EXPECT_TRUE(store_->ReadCurrentAbsences(kTenant, clock_.Now())->empty());
  // History stays listed.
  absl::StatusOr<RosterStore::AbsencePage> page =
      store_->ListAbsences(kTenant, carer.carer_id(), "", absl::InfiniteFuture(), 10);
  ASSERT_TRUE(page.ok());
  ASSERT_EQ(page->absences.size(), 1u);
  EXPECT_EQ(page->absences[0].state(), v1::ABSENCE_STATE_CANCELLED);
  EXPECT_TRUE(page->exhausted);
}

TEST_F(RosterStoreTest, RedisGoneIsUnavailableNotACrash) {
  ASSERT_THAT(server_->Stop(), IsOk());
  EXPECT_THAT(store_->ReadCarer(kTenant, "car_1").status(),
              StatusIs(absl::StatusCode::kUnavailable));
  v1::CreateCarerRequest request;
  EXPECT_THAT(roster_->CreateCarer(kTenant, request).status(),
              StatusIs(absl::StatusCode::kUnavailable));
}

}  // namespace
}  // namespace homecare::roster
