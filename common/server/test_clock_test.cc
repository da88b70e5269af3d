#include "common/server/test_clock.h"

#include <cstdio>
#include <fstream>
#include <string>

#include "common/testing/status_matchers.h"
#include "common/testing/subprocess.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace homecare {
namespace {

using ::homecare::testing::IsOk;
using ::homecare::testing::MakeTempDir;
using ::homecare::testing::RemoveTree;
using ::homecare::testing::StatusIs;
using ::testing::HasSubstr;

class FileClockTest : public ::testing::Test {
 protected:
  ~FileClockTest() override { RemoveTree(dir_); }

  // As a test moves the clock: a new file renamed over the old one.
  void Write(const std::string& contents) {
    const std::string next = dir_ + "/clock.next";
    std::ofstream(next) << contents;
    ASSERT_EQ(std::rename(next.c_str(), path_.c_str()), 0);
  }

  const std::string dir_ = MakeTempDir("hc-clock-");
  const std::string path_ = dir_ + "/clock";
};

absl::Time At(const char* rfc3339) {
  absl::Time time;
  std::string error;
  EXPECT_TRUE(absl::ParseTime(absl::RFC3339_full, rfc3339, &time, &error)) << error;
  return time;
}

TEST_F(FileClockTest, StandsStillAtTheTimeInTheFileUntilItIsReplaced) {
  Write("2030-12-02T08:00:00Z\n");
  absl::StatusOr<std::unique_ptr<FileClock>> clock = FileClock::Open(path_);
  ASSERT_THAT(clock, IsOk());
  EXPECT_EQ((*clock)->Now(), At("2030-12-02T08:00:00Z"));
  EXPECT_EQ((*clock)->Now(), At("2030-12-02T08:00:00Z"));
  Write("2030-12-02T09:30:15.5+01:00");
  EXPECT_EQ((*clock)->Now(), At("2030-12-02T08:30:15.5Z"));
}

TEST_F(FileClockTest, AnUnreadableRewriteOrARemovedFileLeavesTheLastGoodTime) {
  Write("2030-12-02T08:00:00Z");
  absl::StatusOr<std::unique_ptr<FileClock>> clock = FileClock::Open(path_);
  ASSERT_THAT(clock, IsOk());
  Write("tomorrow");
  EXPECT_EQ((*clock)->Now(), At("2030-12-02T08:00:00Z"));
  std::remove(path_.c_str());
  EXPECT_EQ((*clock)->Now(), At("2030-12-02T08:00:00Z"));
  Write("2030-12-03T08:00:00Z");
  EXPECT_EQ((*clock)->Now(), At("2030-12-03T08:00:00Z"));
}

TEST_F(FileClockTest, OpenRefusesAMissingOrMalformedFile) {
  EXPECT_THAT(FileClock::Open(path_), StatusIs(absl::StatusCode::kNotFound));
  Write("2030-12-02 08:00");
  EXPECT_THAT(FileClock::Open(path_),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("RFC 3339")));
  Write("");
  EXPECT_THAT(FileClock::Open(path_), StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST(TestClockAllowedTest, OnlyAnExplicitOne) {
  EXPECT_THAT(CheckTestClockAllowed("1"), IsOk());
  EXPECT_THAT(CheckTestClockAllowed(nullptr),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr(kAllowTestClockVariable)));
  EXPECT_THAT(CheckTestClockAllowed(""), StatusIs(absl::StatusCode::kFailedPrecondition));
  EXPECT_THAT(CheckTestClockAllowed("true"), StatusIs(absl::StatusCode::kFailedPrecondition));
}

}  // namespace
}  // namespace homecare
