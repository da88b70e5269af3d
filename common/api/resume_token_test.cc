#include "common/api/resume_token.h"

#include "common/status/errors.h"
#include "common/testing/status_matchers.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace homecare {
namespace {

using ::homecare::testing::StatusIs;

TEST(ResumeTokenTest, RoundTripsPositions) {
  StreamPositions positions = {{"sunrise-care", "1700000000000-0"}, {"oak-care", "17-3"}};
  absl::StatusOr<StreamPositions> decoded = DecodeResumeToken(EncodeResumeToken(positions));
  ASSERT_TRUE(decoded.ok()) << decoded.status();
  EXPECT_EQ(*decoded, positions);
  EXPECT_TRUE(DecodeResumeToken(EncodeResumeToken({}))->empty());
}

TEST(ResumeTokenTest, RefusesWhatItDidNotMake) {
  for (const char* token : {"", "!!!", "bm9wZQ", "MXxzdW5yaXNlLWNhcmU9eA"}) {
    absl::StatusOr<StreamPositions> decoded = DecodeResumeToken(token);
    EXPECT_THAT(decoded.status(), StatusIs(absl::StatusCode::kInvalidArgument)) << token;
    if (!decoded.ok()) {
      ASSERT_EQ(FieldViolationsOf(decoded.status()).size(), 1u);
      EXPECT_EQ(FieldViolationsOf(decoded.status())[0].field(), "resume_token");
    }
  }
  // A tenant id that could break out of a Redis key.
  StreamPositions evil = {{"a}b:c", "1-0"}};
  EXPECT_FALSE(DecodeResumeToken(EncodeResumeToken(evil)).ok());
}

TEST(StreamIdBeforeTest, ComparesAsNumbers) {
  EXPECT_TRUE(StreamIdBefore("9-0", "10-0"));
  EXPECT_TRUE(StreamIdBefore("10-2", "10-10"));
  EXPECT_FALSE(StreamIdBefore("10-0", "10-0"));
  EXPECT_TRUE(StreamIdBefore(kStreamStart, "1-0"));
}

}  // namespace
}  // namespace homecare
