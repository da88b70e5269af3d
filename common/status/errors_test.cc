#include "common/status/errors.h"

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace homecare {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::SizeIs;

TEST(FieldViolationsTest, EmptyIsOk) {
  FieldViolations violations;
  EXPECT_TRUE(violations.empty());
  EXPECT_TRUE(violations.ToStatus().ok());
}

TEST(FieldViolationsTest, NamesEveryFieldAndRule) {
  FieldViolations violations;
  violations.Add("tenant.display_name", "must not be empty");
  violations.Add("tenant.time_zone", "unknown time zone \"Mars/Olympus\"");
  absl::Status status = violations.ToStatus();
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(status.message(), HasSubstr("tenant.display_name: must not be empty"));
  EXPECT_THAT(status.message(), HasSubstr("tenant.time_zone: unknown time zone"));
  auto details = FieldViolationsOf(status);
  ASSERT_THAT(details, SizeIs(2));
  EXPECT_EQ(details[0].field(), "tenant.display_name");
  EXPECT_EQ(details[1].description(), "unknown time zone \"Mars/Olympus\"");
  EXPECT_THAT(ViolatedFields(status),
              ::testing::ElementsAre("tenant.display_name", "tenant.time_zone"));
  EXPECT_THAT(ViolatedFields(absl::OkStatus()), ::testing::IsEmpty());
}

TEST(PreconditionViolationsTest, ListsEachViolation) {
  PreconditionViolations violations;
  violations.Add("SKILL_MISSING", "carers/c1", "lacks medication");
  violations.Add("CARER_ABSENT", "carers/c1", "off sick");
  absl::Status status = violations.ToStatus("carer c1 cannot take visit v1");
  EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(status.message(), HasSubstr("SKILL_MISSING (carers/c1): lacks medication"));
  auto details = PreconditionViolationsOf(status);
  ASSERT_THAT(details, SizeIs(2));
  EXPECT_EQ(details[1].type(), "CARER_ABSENT");
}

TEST(FieldViolationsTest, ManyViolationsAreListedFirstInFullThenCounted) {
  FieldViolations violations;
  for (int i = 0; i < 50; ++i) {
    violations.Add(absl::StrCat("plan.patterns[", i, "].window_start"), "must be HH:MM");
  }
  absl::Status status = violations.ToStatus();
  EXPECT_THAT(status.message(), HasSubstr("plan.patterns[0].window_start: must be HH:MM; "));
  EXPECT_THAT(status.message(), HasSubstr("plan.patterns[4].window_start"));
  EXPECT_THAT(status.message(), Not(HasSubstr("plan.patterns[5].window_start")));
  auto details = FieldViolationsOf(status);
  ASSERT_GT(details.size(), 30u);
  EXPECT_EQ(details.back().field(),
            absl::StrCat("plan.patterns[", details.size() - 1, "].window_start"));
  EXPECT_THAT(status.message(), HasSubstr(absl::StrCat("; and 45 more (50 in all; the error "
                                                       "details list the first ",
                                                       details.size(), ")")));
}

TEST(FieldViolationsTest, DetailsStopAtTheirByteBudgetAndSaySo) {
  FieldViolations violations;
  for (int i = 0; i < 10000; ++i) {
    violations.Add(absl::StrCat("update_mask.paths[", i, "]"), "is not a field of Client");
  }
  EXPECT_EQ(violations.size(), 10000);
  absl::Status status = violations.ToStatus();
  auto details = FieldViolationsOf(status);
  ASSERT_GT(details.size(), 10u);
  ASSERT_LT(details.size(), 10000u);
  EXPECT_EQ(details[0].field(), "update_mask.paths[0]");
  EXPECT_THAT(status.message(),
              HasSubstr(absl::StrCat("; and 9995 more (10000 in all; the error details list the "
                                     "first ",
                                     details.size(), ")")));
  EXPECT_LE(std::string(*status.GetPayload(kBadRequestTypeUrl)).size(), kMaxDetailBytes);
}

TEST(FieldViolationsTest, LongTextIsCut) {
  FieldViolations violations;
  violations.Add(std::string(10000, 'p'), std::string(10000, 'r'));
  auto details = FieldViolationsOf(violations.ToStatus());
  ASSERT_THAT(details, SizeIs(1));
  EXPECT_LE(details[0].field().size(), kMaxViolationTextBytes);
  EXPECT_LE(details[0].description().size(), kMaxViolationTextBytes);
  EXPECT_LE(violations.ToStatus().message().size(), kMaxMessageBytes);
}

TEST(PreconditionViolationsTest, ManyViolationsAreCountedAfterTheSummary) {
  PreconditionViolations violations;
  for (int i = 0; i < 30; ++i) {
    violations.Add("SKILL_MISSING", absl::StrCat("carers/c", i), "lacks hoist training");
  }
  absl::Status status = violations.ToStatus("the visit cannot be assigned");
  EXPECT_THAT(status.message(),
              HasSubstr("the visit cannot be assigned: SKILL_MISSING (carers/c0): lacks hoist"));
  EXPECT_THAT(status.message(), HasSubstr("; and 25 more in the error details"));
  EXPECT_THAT(PreconditionViolationsOf(status), SizeIs(30));
}

TEST(ErrorInfoTest, ReasonRoundTrips) {
  absl::Status status =
      WithErrorInfo(absl::UnavailableError("redis down"), "REDIS_UNAVAILABLE", "homecare");
  EXPECT_EQ(ErrorReasonOf(status), "REDIS_UNAVAILABLE");
  EXPECT_EQ(ErrorReasonOf(absl::InternalError("x")), "");
  EXPECT_TRUE(WithErrorInfo(absl::OkStatus(), "X", "y").ok());
}

TEST(InvalidArgumentErrorTest, SingleField) {
  absl::Status status = InvalidArgumentError("page_size", "must not be negative");
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  ASSERT_THAT(FieldViolationsOf(status), SizeIs(1));
  EXPECT_TRUE(FieldViolationsOf(absl::InternalError("x")).empty());
}

}  // namespace
}  // namespace homecare
