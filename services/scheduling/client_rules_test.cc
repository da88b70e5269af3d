#include "services/scheduling/client_rules.h"

#include "common/status/errors.h"
#include "common/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace homecare::scheduling {
namespace {

using ::testing::ElementsAre;

TenantProfile Tenant() {
  return TenantProfile{"sunrise-care", *LoadTimeZone("Europe/London"), {"north", "south"}};
}

v1::Client ValidClient() {
  v1::Client client;
  client.set_display_name("Mrs Edna Clarke");
  client.mutable_location()->set_latitude(51.5);
  client.mutable_location()->set_longitude(-0.12);
  client.set_locality_id("north");
  client.set_preferred_carer_gender(common::v1::GENDER_FEMALE);
  client.set_carer_gender_required(true);
  client.set_access_notes("Key safe by the back door, code 1234");
  v1::Contact& daughter = *client.add_contacts();
  daughter.set_name("Sue Clarke");
  daughter.set_relationship("daughter");
  daughter.set_is_unpaid_carer(true);
  return client;
}

TEST(ClientRulesTest, ValidClientStartsActiveWithSuspensionIds) {
  EXPECT_TRUE(ValidateClient(ValidClient(), Tenant()).ok());
  v1::Client client = ValidClient();
  v1::Suspension& stay = *client.add_suspensions();
  stay.set_reason(v1::SUSPENSION_REASON_HOSPITAL);
  *stay.mutable_start_date() = DateToProto(absl::CivilDay(2026, 12, 1));
  v1::Client stored = NewClientRecord(client, "cli_1", absl::UnixEpoch());
  EXPECT_EQ(stored.status(), v1::CLIENT_STATUS_ACTIVE);
  EXPECT_FALSE(stored.suspensions(0).suspension_id().empty());
  EXPECT_EQ(stored.version(), 1);
}

TEST(ClientRulesTest, EveryRuleNamesItsField) {
  v1::Client client = ValidClient();
  client.clear_display_name();
  client.mutable_location()->set_latitude(91);
  client.set_locality_id("east");
  client.set_preferred_carer_gender(common::v1::GENDER_UNSPECIFIED);
  client.add_preferred_carer_ids("car_1");
  client.add_excluded_carer_ids("car_1");
  client.mutable_contacts(0)->clear_name();
  v1::Suspension& backwards = *client.add_suspensions();
  *backwards.mutable_start_date() = DateToProto(absl::CivilDay(2026, 12, 5));
  *backwards.mutable_end_date() = DateToProto(absl::CivilDay(2026, 12, 1));
  EXPECT_THAT(ViolatedFields(ValidateClient(client, Tenant())),
              ElementsAre("client.display_name", "client.location.latitude", "client.locality_id",
                          "client.carer_gender_required", "client.excluded_carer_ids[0]",
                          "client.contacts[0].name", "client.suspensions[0].reason",
                          "client.suspensions[0].end_date"));
}

// Text that would mislead a coordinator's screen is refused wherever a client has text.
TEST(ClientRulesTest, FreeTextRefusesControlAndReorderingCharacters) {
  v1::Client client = ValidClient();
  client.set_display_name(std::string("Edna\0", 5));
  client.set_address_line("12 Elm Road\x1b[8m");
  client.set_access_notes("Key safe\nCode 1234");  // a newline is fine in notes
  client.mutable_contacts(0)->set_name("Sue \u202e");
  client.mutable_contacts(0)->set_phone("0770\t900");
  EXPECT_THAT(ViolatedFields(ValidateClient(client, Tenant())),
              ElementsAre("client.display_name", "client.address_line", "client.contacts[0].name",
                          "client.contacts[0].phone"));
}

TEST(ClientRulesTest, UpdateReplacesNamedFieldsAndKeepsStatusWhenUnset) {
  v1::Client stored = NewClientRecord(ValidClient(), "cli_1", absl::UnixEpoch());
  v1::Client changes;
  changes.set_access_notes("New key safe code 9876");
  v1::Client updated =
      ApplyClientUpdate(stored, changes, {"access_notes", "status"}, absl::UnixEpoch());
  EXPECT_EQ(updated.access_notes(), "New key safe code 9876");
  EXPECT_EQ(updated.status(), v1::CLIENT_STATUS_ACTIVE);
  EXPECT_EQ(updated.version(), 2);
  EXPECT_EQ(updated.contacts_size(), 1);
}

TEST(ClientRulesTest, FilterAndSuspendedStatus) {
  v1::Client client = NewClientRecord(ValidClient(), "cli_1", absl::UnixEpoch());
  EXPECT_TRUE(ClientFilter{.locality_id = "north"}.Matches(client));
  EXPECT_FALSE(ClientFilter{.status = v1::CLIENT_STATUS_ENDED}.Matches(client));
  EXPECT_FALSE(NoVisitsDueOn(client, absl::CivilDay(2026, 12, 1)).has_value());
  client.set_status(v1::CLIENT_STATUS_SUSPENDED);
  EXPECT_TRUE(NoVisitsDueOn(client, absl::CivilDay(2026, 12, 1)).has_value());
}

}  // namespace
}  // namespace homecare::scheduling
