#include "services/roster/tenant_rules.h"

#include "common/status/errors.h"
#include "common/testing/status_matchers.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace homecare::roster {
namespace {

using ::homecare::testing::IsOk;
using ::homecare::testing::StatusIs;
using ::testing::ElementsAre;
using ::testing::Field;
using ::testing::Property;
using ::testing::UnorderedElementsAre;

v1::Tenant ValidTenant() {
  v1::Tenant tenant;
  tenant.set_tenant_id("sunrise-care");
  tenant.set_display_name("Sunrise Homecare Ltd");
  tenant.set_time_zone("Europe/London");
  auto* north = tenant.add_localities();
  north->set_locality_id("north");
  north->set_display_name("North Locality");
  tenant.set_minimum_hourly_pay_pence(1260);
  return tenant;
}

TEST(ValidateNewTenantTest, NeedsALocality) {
  v1::Tenant tenant = ValidTenant();
  tenant.clear_localities();
  EXPECT_THAT(ViolatedFields(ValidateNewTenant(tenant)),
              ::testing::ElementsAre("tenant.localities"));
}

TEST(ValidateNewTenantTest, AcceptsAValidTenant) {
  EXPECT_THAT(ValidateNewTenant(ValidTenant()), IsOk());
  v1::Tenant no_zone = ValidTenant();
  no_zone.clear_time_zone();
  EXPECT_THAT(ValidateNewTenant(no_zone), IsOk());
}

TEST(ValidateNewTenantTest, NamesEveryBrokenRule) {
  v1::Tenant tenant = ValidTenant();
  tenant.set_tenant_id("Bad Id");
  tenant.clear_display_name();
  tenant.set_time_zone("Europe/Atlantis");
  auto* duplicate = tenant.add_localities();
  duplicate->set_locality_id("north");
  duplicate->set_display_name("Again");
  auto* unnamed = tenant.add_localities();
  unnamed->set_locality_id("south");
  tenant.set_minimum_hourly_pay_pence(-1);
  absl::Status status = ValidateNewTenant(tenant);
  EXPECT_THAT(status, StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(
      ViolatedFields(status),
      UnorderedElementsAre("tenant.tenant_id", "tenant.display_name", "tenant.time_zone",
                           "tenant.localities[1].locality_id", "tenant.localities[2].display_name",
                           "tenant.minimum_hourly_pay_pence"));
}

TEST(ValidateNewTenantTest, SubContractorIdsAreSlugsAndUnique) {
  v1::Tenant tenant = ValidTenant();
  for (const char* id : {"bridge-care", "bridge-care", "x"}) {
    auto* sub = tenant.add_sub_contractors();
    sub->set_employer_id(id);
    sub->set_display_name("Sub");
  }
  EXPECT_THAT(ViolatedFields(ValidateNewTenant(tenant)),
              ElementsAre("tenant.sub_contractors[1].employer_id",
                          "tenant.sub_contractors[2].employer_id"));
}

TEST(NewTenantRecordTest, FillsDefaultsAndServerFields) {
  v1::Tenant requested = ValidTenant();
  requested.clear_time_zone();
  requested.set_version(42);  // output only: ignored
  absl::Time now = absl::FromUnixSeconds(1800000000);
  v1::Tenant record = NewTenantRecord(requested, now);
  EXPECT_EQ(record.time_zone(), "Europe/London");
  EXPECT_EQ(record.version(), 1);
  EXPECT_EQ(record.create_time().seconds(), 1800000000);
  EXPECT_EQ(record.update_time().seconds(), 1800000000);
}

TEST(CreateTenantFingerprintTest, SameRequestSameFingerprint) {
  v1::CreateTenantRequest request;
  *request.mutable_tenant() = ValidTenant();
  request.set_request_id("r1");
  v1::CreateTenantRequest same = request;
  same.mutable_tenant()->set_version(7);  // output-only fields do not count
  EXPECT_EQ(CreateTenantFingerprint(request), CreateTenantFingerprint(same));
  v1::CreateTenantRequest other_id = request;
  other_id.set_request_id("r2");
  EXPECT_NE(CreateTenantFingerprint(request), CreateTenantFingerprint(other_id));
  v1::CreateTenantRequest other_name = request;
  other_name.mutable_tenant()->set_display_name("Other");
  EXPECT_NE(CreateTenantFingerprint(request), CreateTenantFingerprint(other_name));
}

Principal MakePrincipal(Role role, std::string tenant) {
  Principal principal;
  principal.subject = "someone";
  principal.role = role;
  principal.tenant = std::move(tenant);
  return principal;
}

TEST(TenantToReadTest, OperatorsNameTheTenant) {
  Principal op = MakePrincipal(Role::kOperator, "");
  EXPECT_EQ(*TenantToRead(op, "sunrise-care"), "sunrise-care");
  EXPECT_THAT(TenantToRead(op, ""), StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(TenantToRead(op, "x}y"), StatusIs(absl::StatusCode::kInvalidArgument));
  Principal everywhere = MakePrincipal(Role::kSystem, "*");
  EXPECT_EQ(*TenantToRead(everywhere, "sunrise-care"), "sunrise-care");
  EXPECT_THAT(TenantToRead(everywhere, ""), StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST(TenantToReadTest, OthersReadOnlyTheirOwn) {
  Principal coordinator = MakePrincipal(Role::kCoordinator, "sunrise-care");
  EXPECT_EQ(*TenantToRead(coordinator, ""), "sunrise-care");
  EXPECT_EQ(*TenantToRead(coordinator, "sunrise-care"), "sunrise-care");
  EXPECT_THAT(TenantToRead(coordinator, "other-care"), StatusIs(absl::StatusCode::kNotFound));
}

}  // namespace
}  // namespace homecare::roster
