#include "common/logging/log.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace homecare {
namespace {

const absl::Time kTime = absl::FromUnixMillis(1796580062345);  // 2026-12-06T18:01:02.345Z

TEST(LogTest, ALineIsOneJsonObject) {
  EXPECT_EQ(FormatLogLine(LogLevel::kWarning, kTime, "homecare-roster", "redis unreachable",
                          "req-1", {{"method", "/a.B/C"}, {"code", "OK"}}),
            "{\"time\":\"2026-12-06T18:01:02.345Z\",\"level\":\"warning\",\"service\":"
            "\"homecare-roster\",\"message\":\"redis unreachable\",\"request_id\":\"req-1\","
            "\"method\":\"/a.B/C\",\"code\":\"OK\"}\n");
  EXPECT_EQ(FormatLogLine(LogLevel::kInfo, kTime, "", "started", "", {}),
            "{\"time\":\"2026-12-06T18:01:02.345Z\",\"level\":\"info\",\"message\":\"started\"}\n");
}

TEST(LogTest, EscapesWhatJsonNeeds) {
  EXPECT_THAT(
      FormatLogLine(LogLevel::kError, kTime, "s", "a \"quote\", a \\ and\n\t\x01 é", "", {}),
      ::testing::HasSubstr("\"message\":\"a \\\"quote\\\", a \\\\ and\\n\\t\\u0001 é\"}\n"));
}

TEST(LogTest, RequestIdsNestAndEndWithTheirScope) {
  EXPECT_EQ(CurrentRequestId(), "");
  {
    ScopedRequestId outer("outer");
    EXPECT_EQ(CurrentRequestId(), "outer");
    {
      ScopedRequestId inner("inner");
      EXPECT_EQ(CurrentRequestId(), "inner");
    }
    EXPECT_EQ(CurrentRequestId(), "outer");
  }
  EXPECT_EQ(CurrentRequestId(), "");
}

}  // namespace
}  // namespace homecare
