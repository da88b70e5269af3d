#include "common/testing/test_clock.h"

#include <cstdio>
#include <cstdlib>
#include <fstream>

#include "absl/strings/str_cat.h"
#include "common/testing/subprocess.h"

namespace homecare::testing {

TestClock::TestClock(absl::Time now) : dir_(MakeTempDir("hc-clock")), path_(dir_ + "/now") {
  Set(now);
}

TestClock::~TestClock() { RemoveTree(dir_); }

void TestClock::Set(absl::Time now) {
  // Renamed into place, so that a service never reads a half-written time.
  const std::string next = path_ + ".next";
  {
    std::ofstream out(next, std::ios::trunc);
    out << absl::FormatTime(absl::RFC3339_full, now, absl::UTCTimeZone()) << "\n";
    if (!out) std::abort();  // a test whose clock does not move must not pass by accident
  }
  if (std::rename(next.c_str(), path_.c_str()) != 0) std::abort();
  now_ = now;
}

std::vector<std::string> TestClock::ServiceEnv() {
  // The name is common/server/test_clock.h's kAllowTestClockVariable; not included here to
  // keep this fixture free of the server library.
  return {"HOMECARE_ALLOW_TEST_CLOCK=1"};
}

}  // namespace homecare::testing
