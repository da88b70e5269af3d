// Roster's logic on records kept in memory: what it does when a write races another, and the
// rules it checks across records, without a Redis server.
#include "services/roster/roster.h"

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/api/write.h"
#include "common/status/errors.h"
#include "common/testing/status_matchers.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace homecare::roster {
namespace {

using ::homecare::testing::IsOk;
using ::homecare::testing::StatusIs;
using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::Property;

absl::Status NotKept() { return absl::UnimplementedError("not kept by this test's records"); }

// Tenants and carers in memory, with the store's optimistic concurrency: a write applies only
// if what it was computed from is byte-for-byte unchanged. `before_tenant_write` runs before
// each tenant write, to play another coordinator's write landing first.
class MemoryRosterRecords final : public RosterRecords {
 public:
  std::function<void()> before_tenant_write;
  int tenant_writes = 0;

  void Put(const v1::Tenant& tenant) { tenants_[tenant.tenant_id()] = tenant.SerializeAsString(); }
  void Put(const std::string& tenant_id, const v1::Carer& carer) {
    carers_[tenant_id][carer.carer_id()] = carer.SerializeAsString();
    ++carers_revision_[tenant_id];
  }
  v1::Tenant Tenant(const std::string& id) {
    v1::Tenant tenant;
    tenant.ParseFromString(tenants_[id]);
    return tenant;
  }

  absl::StatusOr<Created<v1::Tenant>> CreateTenant(const v1::Tenant& tenant,
                                                   const std::string&) override {
    if (tenants_.contains(tenant.tenant_id())) return absl::AlreadyExistsError("taken");
    Put(tenant);
    return Created<v1::Tenant>{tenant};
  }
  absl::StatusOr<v1::Tenant> GetTenant(absl::string_view tenant_id) override {
    absl::StatusOr<Snapshot<v1::Tenant>> read = ReadTenant(tenant_id);
    if (!read.ok()) return read.status();
    return read->record;
  }
  absl::StatusOr<Snapshot<v1::Tenant>> ReadTenant(absl::string_view tenant_id) override {
    auto found = tenants_.find(std::string(tenant_id));
    if (found == tenants_.end()) return absl::NotFoundError("no such tenant");
    Snapshot<v1::Tenant> snapshot;
    snapshot.bytes = found->second;
    snapshot.record.ParseFromString(snapshot.bytes);
    return snapshot;
  }
  absl::StatusOr<AllCarers> ReadAllCarers(absl::string_view tenant_id) override {
    AllCarers all;
    for (const auto& [id, bytes] : carers_[std::string(tenant_id)]) {
      all.carers.emplace_back().ParseFromString(bytes);
    }
    all.revision = absl::StrCat(carers_revision_[std::string(tenant_id)]);
    return all;
  }
  absl::Status UpdateTenant(const Snapshot<v1::Tenant>& read, const v1::Tenant& updated,
                            const std::string& carers_revision) override {
    if (before_tenant_write) before_tenant_write();
    const std::string& id = updated.tenant_id();
    if (tenants_[id] != read.bytes || absl::StrCat(carers_revision_[id]) != carers_revision) {
      return ConcurrentWriteError("the tenant or one of its carers", kRosterErrorDomain);
    }
    ++tenant_writes;
    Put(updated);
    return absl::OkStatus();
  }
  absl::StatusOr<std::vector<v1::Tenant>> ListTenants(const std::string&, int) override {
    return NotKept();
  }
  absl::StatusOr<Created<v1::Carer>> CreateCarer(const Snapshot<v1::Tenant>& tenant,
                                                 const v1::Carer& carer, const std::string&,
                                                 const v1::CarerChange&) override {
    const std::string& id = tenant.record.tenant_id();
    if (tenants_[id] != tenant.bytes) return ConcurrentWriteError("the tenant", kRosterErrorDomain);
    Put(id, carer);
    return Created<v1::Carer>{carer};
  }
  absl::StatusOr<Snapshot<v1::Carer>> ReadCarer(absl::string_view, absl::string_view) override {
    return NotKept();
  }
  absl::Status UpdateCarer(const Snapshot<v1::Tenant>&, const Snapshot<v1::Carer>&,
                           const v1::Carer&, const v1::CarerChange&) override {
    return NotKept();
  }
  absl::StatusOr<std::vector<std::string>> ListCarerIds(absl::string_view, absl::string_view,
                                                        const std::string&, int) override {
    return NotKept();
  }
  absl::StatusOr<std::vector<v1::Carer>> ReadCarers(absl::string_view,
                                                    const std::vector<std::string>&) override {
    return NotKept();
  }
  absl::StatusOr<Snapshot<v1::Availability>> ReadAvailability(absl::string_view,
                                                              absl::string_view) override {
    return NotKept();
  }
  absl::StatusOr<std::vector<std::optional<v1::Availability>>> ReadAvailabilities(
      absl::string_view, const std::vector<std::string>&) override {
    return NotKept();
  }
  absl::Status SetAvailability(absl::string_view, const Snapshot<v1::Availability>&,
                               const v1::Availability&, const v1::CarerChange&) override {
    return NotKept();
  }
  absl::StatusOr<Created<v1::Absence>> RecordAbsence(absl::string_view, const v1::Absence&,
                                                     const std::string&,
                                                     const v1::CarerChange&) override {
    return NotKept();
  }
  absl::StatusOr<Snapshot<v1::Absence>> ReadAbsence(absl::string_view, absl::string_view) override {
    return NotKept();
  }
  absl::Status UpdateAbsence(absl::string_view, const Snapshot<v1::Absence>&, const v1::Absence&,
                             const v1::CarerChange&) override {
    return NotKept();
  }
  absl::StatusOr<AbsencePage> ListAbsences(absl::string_view, absl::string_view, const std::string&,
                                           absl::Time, int) override {
    return NotKept();
  }
  absl::StatusOr<std::vector<v1::Absence>> ReadCurrentAbsences(absl::string_view,
                                                               absl::Time) override {
    return NotKept();
  }
  EventSource& changes() override { std::abort(); }

 private:
  std::map<std::string, std::string> tenants_;
  std::map<std::string, std::map<std::string, std::string>> carers_;
  std::map<std::string, int> carers_revision_;
};

constexpr char kSunrise[] = "sunrise-care";

v1::Tenant Sunrise() {
  v1::Tenant tenant;
  tenant.set_tenant_id(kSunrise);
  tenant.set_display_name("Sunrise Homecare Ltd");
  tenant.set_time_zone("Europe/London");
  for (const char* id : {"north", "south"}) {
    v1::Locality* locality = tenant.add_localities();
    locality->set_locality_id(id);
    locality->set_display_name(absl::StrCat(id, " locality"));
  }
  tenant.set_minimum_hourly_pay_pence(1260);
  tenant.set_version(1);
  return tenant;
}

v1::Carer Carer(const std::string& id, const std::string& locality) {
  v1::Carer carer;
  carer.set_carer_id(id);
  carer.set_display_name("Ann Lee");
  carer.set_locality_id(locality);
  carer.set_hourly_rate_pence(1300);
  carer.set_active(true);
  return carer;
}

class RosterTest : public ::testing::Test {
 protected:
  RosterTest()
      : clock_(absl::FromCivil(absl::CivilSecond(2026, 12, 4, 9, 0, 0), absl::UTCTimeZone())) {
    records_.Put(Sunrise());
  }

  v1::UpdateTenantRequest Rename(const std::string& name) {
    v1::UpdateTenantRequest request;
    request.mutable_tenant()->set_tenant_id(kSunrise);
    request.mutable_tenant()->set_display_name(name);
    request.mutable_update_mask()->add_paths("display_name");
    return request;
  }

  MemoryRosterRecords records_;
  FakeClock clock_;
  Roster roster_{&records_, &clock_};
};

TEST_F(RosterTest, AnUpdateThatRacedAnotherIsComputedAgainFromTheNewRecord) {
  bool raced = false;
  records_.before_tenant_write = [&] {
    if (raced) return;
    raced = true;
    // Another coordinator raises the minimum pay between our read and our write.
    v1::Tenant theirs = records_.Tenant(kSunrise);
    theirs.set_minimum_hourly_pay_pence(1280);
    theirs.set_version(theirs.version() + 1);
    records_.Put(theirs);
  };
  absl::StatusOr<v1::Tenant> updated = roster_.UpdateTenant(kSunrise, Rename("Sunrise Care"));
  ASSERT_THAT(updated, IsOk());
  // Both changes kept: ours was recomputed on top of theirs, not written over it.
  EXPECT_EQ(updated->display_name(), "Sunrise Care");
  EXPECT_EQ(updated->minimum_hourly_pay_pence(), 1280);
  EXPECT_EQ(updated->version(), 3);
  EXPECT_EQ(records_.tenant_writes, 1);
}

TEST_F(RosterTest, AnUpdateThatLosesEveryRaceIsAbortedForTheCallerToRetry) {
  records_.before_tenant_write = [&] {
    v1::Tenant theirs = records_.Tenant(kSunrise);
    theirs.set_version(theirs.version() + 1);
    records_.Put(theirs);
  };
  absl::StatusOr<v1::Tenant> updated = roster_.UpdateTenant(kSunrise, Rename("Sunrise Care"));
  EXPECT_THAT(updated, StatusIs(absl::StatusCode::kAborted));
  EXPECT_EQ(ErrorReasonOf(updated.status()), kConcurrentWriteReason);
  EXPECT_EQ(records_.tenant_writes, 0);
  EXPECT_EQ(records_.Tenant(kSunrise).display_name(), "Sunrise Homecare Ltd");
}

TEST_F(RosterTest, ALocalityWithCarersCannotBeRemoved) {
  records_.Put(kSunrise, Carer("car_ann", "south"));
  v1::UpdateTenantRequest request;
  *request.mutable_tenant() = Sunrise();
  request.mutable_tenant()->mutable_localities()->RemoveLast();  // south
  request.mutable_update_mask()->add_paths("localities");
  absl::StatusOr<v1::Tenant> updated = roster_.UpdateTenant(kSunrise, request);
  EXPECT_THAT(updated, StatusIs(absl::StatusCode::kFailedPrecondition));
  EXPECT_THAT(
      PreconditionViolationsOf(updated.status()),
      ElementsAre(Property(&google::rpc::PreconditionFailure::Violation::type, "LOCALITY_IN_USE")));
  EXPECT_EQ(records_.tenant_writes, 0);
}

TEST_F(RosterTest, AStaleExpectedVersionIsRefusedWithoutWriting) {
  v1::UpdateTenantRequest request = Rename("Sunrise Care");
  request.set_expected_version(7);
  absl::StatusOr<v1::Tenant> updated = roster_.UpdateTenant(kSunrise, request);
  EXPECT_THAT(updated, StatusIs(absl::StatusCode::kAborted));
  EXPECT_EQ(ErrorReasonOf(updated.status()), kVersionMismatchReason);
  EXPECT_EQ(records_.tenant_writes, 0);
}

TEST_F(RosterTest, ACarerInALocalityTheTenantDoesNotHaveIsRefused) {
  v1::CreateCarerRequest request;
  request.set_request_id("r-1");
  *request.mutable_carer() = Carer("", "west");
  request.mutable_carer()->clear_carer_id();
  absl::StatusOr<v1::Carer> created = roster_.CreateCarer(kSunrise, request);
  EXPECT_THAT(created, StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(ViolatedFields(created.status()), ::testing::Contains("carer.locality_id"));
  absl::StatusOr<RosterRecords::AllCarers> carers = records_.ReadAllCarers(kSunrise);
  ASSERT_THAT(carers, IsOk());
  EXPECT_THAT(carers->carers, IsEmpty());
}

}  // namespace
}  // namespace homecare::roster
