// gMock matchers for statuses (Abseil 20220623 ships none).
//   EXPECT_THAT(status, StatusIs(absl::StatusCode::kNotFound));
//   EXPECT_THAT(grpc_status, GrpcStatusIs(grpc::StatusCode::UNAVAILABLE, HasSubstr("redis")));
#ifndef HOMECARE_COMMON_TESTING_STATUS_MATCHERS_H_
#define HOMECARE_COMMON_TESTING_STATUS_MATCHERS_H_

#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "gmock/gmock.h"

namespace homecare::testing {

inline const absl::Status& GetStatus(const absl::Status& status) { return status; }
template <typename T>
const absl::Status& GetStatus(const absl::StatusOr<T>& status_or) {
  return status_or.status();
}

MATCHER_P(StatusIs, code, "") {
  const absl::Status& status = GetStatus(arg);
  *result_listener << "status is " << status;
  return status.code() == code;
}

MATCHER_P2(StatusIs, code, message_matcher, "") {
  const absl::Status& status = GetStatus(arg);
  *result_listener << "status is " << status;
  return status.code() == code &&
         ::testing::Matches(message_matcher)(std::string(status.message()));
}

MATCHER(IsOk, "") {
  const absl::Status& status = GetStatus(arg);
  *result_listener << "status is " << status;
  return status.ok();
}

// For grpc::Status, without including gRPC here: anything with error_code() and
// error_message().
MATCHER_P(GrpcStatusIs, code, "") {
  *result_listener << "status is " << static_cast<int>(arg.error_code()) << ": "
                   << arg.error_message();
  return arg.error_code() == code;
}

MATCHER_P2(GrpcStatusIs, code, message_matcher, "") {
  *result_listener << "status is " << static_cast<int>(arg.error_code()) << ": "
                   << arg.error_message();
  return arg.error_code() == code && ::testing::Matches(message_matcher)(arg.error_message());
}

MATCHER(GrpcOk, "") {
  *result_listener << "status is " << static_cast<int>(arg.error_code()) << ": "
                   << arg.error_message();
  return static_cast<int>(arg.error_code()) == 0;
}

}  // namespace homecare::testing

#endif  // HOMECARE_COMMON_TESTING_STATUS_MATCHERS_H_
