#include "common/server/grpc_status.h"

#include "absl/strings/str_cat.h"
#include "common/status/errors.h"
#include "gmock/gmock.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "gtest/gtest.h"

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
  google::rpc::Status details;
  ASSERT_TRUE(details.ParseFromString(wire.error_details()));
  EXPECT_EQ(details.code(), 3);
  ASSERT_THAT(details.details(), SizeIs(2));
  bool found_bad_request = false;
  for (const auto& any : details.details()) {
    if (any.type_url() == "type.googleapis.com/google.rpc.BadRequest") {
      google::rpc::BadRequest bad_request;
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

// Whatever a status says, a client with gRPC's default 8 KiB metadata limit can read it.
TEST(GrpcStatusTest, ALongMessageIsCut) {
  grpc::Status wire = ToGrpcStatus(absl::UnavailableError(std::string(100000, 'x')));
  EXPECT_LE(wire.error_message().size(), kMaxMessageBytes);
  google::rpc::Status details;
  ASSERT_TRUE(details.ParseFromString(wire.error_details()));
  EXPECT_EQ(details.message(), wire.error_message());
}

TEST(GrpcStatusTest, ManyViolationsStayWithinTheMetadataLimit) {
  FieldViolations violations;
  for (int i = 0; i < 10000; ++i) {
    violations.Add(absl::StrCat("update_mask.paths[", i, "]"),
                   absl::StrCat("is not a field that can be updated: ", std::string(300, 'p')));
  }
  grpc::Status wire = ToGrpcStatus(violations.ToStatus());
  EXPECT_LE(wire.error_message().size(), kMaxMessageBytes);
  EXPECT_LE(wire.error_details().size(), kMaxDetailBytes + 2 * kMaxMessageBytes);
}

TEST(GrpcStatusTest, EveryCanonicalCodeMapsToTheSameNumber) {
  for (int code = 1; code <= 16; ++code) {
    absl::Status status(static_cast<absl::StatusCode>(code), "x");
    EXPECT_EQ(static_cast<int>(ToGrpcStatus(status).error_code()), code);
  }
}

}  // namespace
}  // namespace homecare
