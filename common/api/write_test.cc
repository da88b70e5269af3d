#include "common/api/write.h"

#include "common/status/errors.h"
#include "gtest/gtest.h"

namespace homecare {
namespace {

TEST(RetryOnConflictTest, RetriesOnlyConcurrentWritesAndGivesUpAfterTheLimit) {
  int calls = 0;
  absl::StatusOr<int> result = RetryOnConflict<int>([&]() -> absl::StatusOr<int> {
    ++calls;
    if (calls < 3) return ConcurrentWriteError("the record", "test");
    return calls;
  });
  EXPECT_EQ(*result, 3);

  calls = 0;
  result = RetryOnConflict<int>([&]() -> absl::StatusOr<int> {
    ++calls;
    return ConcurrentWriteError("the record", "test");
  });
  EXPECT_EQ(calls, kWriteAttempts);
  EXPECT_EQ(ErrorReasonOf(result.status()), kConcurrentWriteReason);

  calls = 0;
  result = RetryOnConflict<int>([&]() -> absl::StatusOr<int> {
    ++calls;
    return CheckExpectedVersion(1, 2, "the record", "test");
  });
  EXPECT_EQ(calls, 1) << "a stale expected_version is the client's to resolve";
  EXPECT_EQ(result.status().code(), absl::StatusCode::kAborted);
  EXPECT_EQ(ErrorReasonOf(result.status()), kVersionMismatchReason);
}

TEST(WriteTest, ExpectedVersionZeroMeansNoCheck) {
  EXPECT_TRUE(CheckExpectedVersion(0, 7, "x", "test").ok());
  EXPECT_TRUE(CheckExpectedVersion(7, 7, "x", "test").ok());
}

TEST(WriteTest, RequestIds) {
  EXPECT_TRUE(ValidateRequestId(std::string(200, 'a')).ok());
  EXPECT_EQ(ViolatedFields(ValidateRequestId(std::string(201, 'a'))),
            std::vector<std::string>{"request_id"});
  EXPECT_EQ(IdForRequest("vis", "t", "r1"), IdForRequest("vis", "t", "r1"));
  EXPECT_NE(IdForRequest("vis", "t", "r1"), IdForRequest("vis", "u", "r1"));
  EXPECT_NE(IdForRequest("vis", "t", ""), IdForRequest("vis", "t", ""));
}

}  // namespace
}  // namespace homecare
