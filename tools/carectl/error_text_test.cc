#include "tools/carectl/error_text.h"

#include "common/status/errors.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace homecare::carectl {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

const std::vector<std::string> kCarerCreateFlags = {
    "roster", "token",      "timeout", "json", "name",     "gender", "locality", "home",
    "skills", "contracted", "max-day", "rate", "employer", "travel", "active",   "request-id"};

TEST(ErrorTextTest, FieldsAreNamedByTheirFlags) {
  EXPECT_EQ(FlagForField("carer.display_name", kCarerCreateFlags), "--name");
  EXPECT_EQ(FlagForField("carer.locality_id", kCarerCreateFlags), "--locality");
  EXPECT_EQ(FlagForField("carer.hourly_rate_pence", kCarerCreateFlags), "--rate");
  EXPECT_EQ(FlagForField("carer.home.latitude", kCarerCreateFlags), "--home (latitude)");
  EXPECT_EQ(FlagForField("carer.skills[1].expires_on", kCarerCreateFlags),
            "--skills item 2 (expires_on)");
  EXPECT_EQ(FlagForField("carer.version", kCarerCreateFlags), "");
  // One field, the flag the command has: --to lists, --at ends an absence.
  EXPECT_EQ(FlagForField("end_time", {"carer", "from", "to"}), "--to");
  EXPECT_EQ(FlagForField("end_time", {"id", "at"}), "--at");
  EXPECT_EQ(FlagForField("care_plan.patterns[0].days[2]", {"patterns", "client"}),
            "--patterns item 1 (days[2])");
  EXPECT_EQ(FlagForField("page_size", {"page-size"}), "--page-size");
}

TEST(ErrorTextTest, CheckInFieldsAreNamedByTheirFlags) {
  const std::vector<std::string> check_out = {"visit", "carer",   "method", "location",
                                              "tag",   "caller",  "at",     "now",
                                              "tasks", "outcome", "note",   "event-id"};
  EXPECT_EQ(FlagForField("visit_id", check_out), "--visit");
  EXPECT_EQ(FlagForField("tag_payload", check_out), "--tag");
  EXPECT_EQ(FlagForField("device_time", check_out), "--at");
  EXPECT_EQ(FlagForField("task_outcomes[3].note", check_out), "--tasks item 4 (note)");
  EXPECT_EQ(FlagForField("location.latitude", check_out), "--location (latitude)");
  EXPECT_EQ(FlagForField("check_out_time", {"visit", "check-in", "check-out"}), "--check-out");
  EXPECT_EQ(FlagForField("policy.geofence_meters", {"geofence"}), "--geofence");
  EXPECT_EQ(FlagForField("tag_id", {"id"}), "--id");
}

TEST(ErrorTextTest, ViolationsArePrintedOnceWithFlags) {
  FieldViolations violations;
  violations.Add("carer.locality_id", "must be one of the tenant's localities");
  std::string one = FormatError(violations.ToStatus(), kCarerCreateFlags);
  EXPECT_EQ(one, "error: --locality: must be one of the tenant's localities");

  violations.Add("carer.display_name", "must not be empty");
  violations.Add("carer.version", "is set by the server");
  std::string several = FormatError(violations.ToStatus(), kCarerCreateFlags);
  EXPECT_EQ(several,
            "error: 3 problems with the request:\n"
            "  --locality: must be one of the tenant's localities\n"
            "  --name: must not be empty\n"
            "  carer.version: is set by the server");
  EXPECT_THAT(several, Not(HasSubstr("carer.locality_id")));
}

TEST(ErrorTextTest, FieldNamesInsideRulesBecomeFlags) {
  absl::Status status = InvalidArgumentError("end_date", "must not be before start_date");
  EXPECT_EQ(FormatError(status, {"from", "to", "client"}),
            "error: --to: must not be before --from");
  // Without a flag for it the field stays as the server said.
  EXPECT_EQ(FormatError(status, {"client"}), "error: end_date: must not be before start_date");
}

TEST(ErrorTextTest, PreconditionsOneALineUnderTheSummary) {
  PreconditionViolations violations;
  violations.Add("LOCALITY_IN_USE", "localities/north", "carers work in it");
  violations.Add("PAY_BELOW_MINIMUM", "carers/car_1", "is paid less than the minimum");
  std::string text = FormatError(violations.ToStatus("the tenant cannot change"), {});
  EXPECT_EQ(text,
            "error: the tenant cannot change:\n"
            "  carers work in it (LOCALITY_IN_USE, localities/north)\n"
            "  is paid less than the minimum (PAY_BELOW_MINIMUM, carers/car_1)");
}

TEST(ErrorTextTest, PlainMessagesGetAHintWhereTheCodeNeedsOne) {
  EXPECT_EQ(FormatError(absl::NotFoundError("carer \"car_9\" not found"), {}),
            "error: carer \"car_9\" not found");
  EXPECT_THAT(FormatError(absl::UnauthenticatedError("missing token"), {}),
              HasSubstr("--token or HOMECARE_TOKEN"));
  EXPECT_EQ(FormatError(absl::OkStatus(), {}), "");
}

TEST(ErrorTextTest, MistypedCommandsSuggestTheNearest) {
  std::vector<std::vector<std::string>> commands = {
      {"token"},        {"health"}, {"visit", "list"}, {"visit", "get"}, {"visits", "generate"},
      {"carer", "list"}};
  EXPECT_EQ(UnknownCommandMessage({"visit", "lst"}, commands),
            "unknown command \"visit lst\"; did you mean \"visit list\"?");
  EXPECT_EQ(UnknownCommandMessage({"vist", "list", "--date", "2026-12-01"}, commands),
            "unknown command \"vist list\"; did you mean \"visit list\"?");
  EXPECT_EQ(UnknownCommandMessage({"tokn", "--role", "operator"}, commands),
            "unknown command \"tokn\"; did you mean \"token\"?");
  EXPECT_EQ(UnknownCommandMessage({"visit"}, commands), "\"visit\" takes list, get");
  EXPECT_EQ(UnknownCommandMessage({"visit", "foo"}, commands),
            "unknown command \"visit foo\"; \"visit\" takes list, get");
  EXPECT_EQ(UnknownCommandMessage({"frobnicate"}, commands),
            "unknown command \"frobnicate\"; see `carectl help`");
}

}  // namespace
}  // namespace homecare::carectl
