// The test's side of a service's test clock (common/server/test_clock.h): a clock file the test
// owns and moves, and the arguments and environment that make a service process read it.
#ifndef HOMECARE_COMMON_TESTING_TEST_CLOCK_H_
#define HOMECARE_COMMON_TESTING_TEST_CLOCK_H_

#include <string>
#include <vector>

#include "absl/time/time.h"

namespace homecare::testing {

class TestClock {
 public:
  // Writes `now` into a clock file in a fresh directory.
  explicit TestClock(absl::Time now);
  ~TestClock();
  TestClock(const TestClock&) = delete;
  TestClock& operator=(const TestClock&) = delete;

  // Every service started with this clock sees the new time on its next reading of the clock.
  void Set(absl::Time now);
  void Advance(absl::Duration by) { Set(now_ + by); }
  absl::Time now() const { return now_; }

  const std::string& path() const { return path_; }
  // What a service process needs to run on this clock.
  std::vector<std::string> ServiceArgs() const { return {"--test-clock", path_}; }
  static std::vector<std::string> ServiceEnv();

 private:
  std::string dir_;
  std::string path_;
  absl::Time now_;
};

}  // namespace homecare::testing

#endif  // HOMECARE_COMMON_TESTING_TEST_CLOCK_H_
