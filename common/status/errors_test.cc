#include "common/status/errors.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace homecare {
namespace {

using ::testing::HasSubstr;
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
