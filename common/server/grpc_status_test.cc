#include "common/server/grpc_status.h"

#include "common/status/errors.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "homecare/common/v1/error_details.pb.h"

namespace homecare {
namespace {

using ::testing::SizeIs;

TEST(GrpcStatusTest, OkStaysOk) { EXPECT_TRUE(ToGrpcStatus(absl::OkStatus()).ok()); }

TEST(GrpcStatusTest, CodeMessageAndDetailsTravelInTheTrailer) {
  FieldViolations violations;
  violations.Add("tenant.time_zone", "unknown time zone");
  absl::Status status = WithErrorInfo(violations.ToStatus(), "BAD_TENANT", "homecare.roster");
  grpc::Status wire = ToGrpcStatus(status);
  EXPECT_EQ(wire.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(wire.error_message(), "tenant.time_zone: unknown time zone");

  // What a client sees in grpc-status-details-bin: a google.rpc.Status-shaped message.
  common::v1::Status details;
  ASSERT_TRUE(details.ParseFromString(wire.error_details()));
  EXPECT_EQ(details.code(), 3);
  ASSERT_THAT(details.details(), SizeIs(2));
  bool found_bad_request = false;
  for (const auto& any : details.details()) {
    if (any.type_url() == kBadRequestTypeUrl) {
      common::v1::BadRequest bad_request;
      ASSERT_TRUE(any.UnpackTo(&bad_request));
      EXPECT_EQ(bad_request.field_violations(0).field(), "tenant.time_zone");
      found_bad_request = true;
    }
  }
  EXPECT_TRUE(found_bad_request);

  absl::Status back = FromGrpcStatus(wire);
  EXPECT_EQ(back.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(ErrorReasonOf(back), "BAD_TENANT");
  ASSERT_THAT(FieldViolationsOf(back), SizeIs(1));
}

TEST(GrpcStatusTest, EveryCanonicalCodeMapsToTheSameNumber) {
  for (int code = 1; code <= 16; ++code) {
    absl::Status status(static_cast<absl::StatusCode>(code), "x");
    EXPECT_EQ(static_cast<int>(ToGrpcStatus(status).error_code()), code);
  }
}

}  // namespace
}  // namespace homecare
