#include "common/redis/circuit_breaker.h"

#include "gtest/gtest.h"

namespace homecare {
namespace {

using State = CircuitBreaker::State;

class CircuitBreakerTest : public ::testing::Test {
 protected:
  CircuitBreakerTest()
      : clock_(absl::FromUnixSeconds(1000)),
        breaker_({.failure_threshold = 3,
                  .open_duration = absl::Seconds(1),
                  .max_open_duration = absl::Seconds(3)},
                 &clock_) {}

  void Fail() {
    auto permit = breaker_.Allow();
    ASSERT_TRUE(permit);
    permit.Failed();
  }

  FakeClock clock_;
  CircuitBreaker breaker_;
};

TEST_F(CircuitBreakerTest, OpensAfterThresholdFailuresInARow) {
  Fail();
  Fail();
  EXPECT_EQ(breaker_.state(), State::kClosed);
  breaker_.Allow().Succeeded();  // a success resets the count
  Fail();
  Fail();
  EXPECT_EQ(breaker_.state(), State::kClosed);
  Fail();
  EXPECT_EQ(breaker_.state(), State::kOpen);
  EXPECT_FALSE(breaker_.Allow());
  EXPECT_EQ(breaker_.RemainingOpen(), absl::Seconds(1));
}

TEST_F(CircuitBreakerTest, OneTrialAfterTheOpenPeriodClosesOnSuccess) {
  for (int i = 0; i < 3; ++i) Fail();
  clock_.Advance(absl::Milliseconds(999));
  EXPECT_FALSE(breaker_.Allow());
  clock_.Advance(absl::Milliseconds(1));
  auto trial = breaker_.Allow();
  ASSERT_TRUE(trial);
  EXPECT_EQ(breaker_.state(), State::kHalfOpen);
  EXPECT_FALSE(breaker_.Allow());  // only one trial at a time
  trial.Succeeded();
  EXPECT_EQ(breaker_.state(), State::kClosed);
  EXPECT_TRUE(breaker_.Allow());
}

TEST_F(CircuitBreakerTest, FailedTrialsBackOffUpToTheMaximum) {
  for (int i = 0; i < 3; ++i) Fail();
  clock_.Advance(absl::Seconds(1));
  Fail();  // the trial
  EXPECT_EQ(breaker_.state(), State::kOpen);
  EXPECT_EQ(breaker_.RemainingOpen(), absl::Seconds(2));
  clock_.Advance(absl::Seconds(2));
  Fail();
  EXPECT_EQ(breaker_.RemainingOpen(), absl::Seconds(3));  // capped
  clock_.Advance(absl::Seconds(3));
  breaker_.Allow().Succeeded();
  for (int i = 0; i < 3; ++i) Fail();
  EXPECT_EQ(breaker_.RemainingOpen(), absl::Seconds(1));  // reset by the success
}

TEST_F(CircuitBreakerTest, AbandonedTrialFreesTheSlot) {
  for (int i = 0; i < 3; ++i) Fail();
  clock_.Advance(absl::Seconds(1));
  { auto trial = breaker_.Allow(); }
  EXPECT_EQ(breaker_.state(), State::kHalfOpen);
  EXPECT_TRUE(breaker_.Allow());
}

TEST_F(CircuitBreakerTest, LateSuccessOfAnOldCallDoesNotCloseAnOpenBreaker) {
  auto slow_call = breaker_.Allow();
  for (int i = 0; i < 3; ++i) Fail();
  slow_call.Succeeded();
  EXPECT_EQ(breaker_.state(), State::kOpen);
}

}  // namespace
}  // namespace homecare
