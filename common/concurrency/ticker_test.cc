#include "common/concurrency/ticker.h"

#include <chrono>
#include <condition_variable>
#include <mutex>

#include "gtest/gtest.h"

namespace homecare {
namespace {

using std::chrono::hours;
using std::chrono::milliseconds;
using std::chrono::steady_clock;

// Counts ticks and lets the test wait for a number of them (no sleeps: a ticker that stops
// ticking fails by the test's timeout).
class TickCounter {
 public:
  void Tick() {
    std::lock_guard<std::mutex> lock(mutex_);
    ++ticks_;
    counted_.notify_all();
  }
  void WaitFor(int ticks) {
    std::unique_lock<std::mutex> lock(mutex_);
    counted_.wait(lock, [&] { return ticks_ >= ticks; });
  }
  int ticks() {
    std::lock_guard<std::mutex> lock(mutex_);
    return ticks_;
  }

 private:
  std::mutex mutex_;
  std::condition_variable counted_;
  int ticks_ = 0;
};

TEST(TickerTest, TicksAgainAndAgainUntilStopped) {
  TickCounter counter;
  Ticker ticker(steady_clock::now(), milliseconds(1), [&] { counter.Tick(); });
  counter.WaitFor(3);
  ticker.Stop();
  const int at_stop = counter.ticks();
  ticker.Stop();  // again: nothing to do
  EXPECT_GE(at_stop, 3);
  EXPECT_EQ(counter.ticks(), at_stop);
}

TEST(TickerTest, StoppedBeforeItsFirstTickNeverTicksAndDoesNotWaitForIt) {
  TickCounter counter;
  {
    Ticker ticker(steady_clock::now(), hours(1), [&] { counter.Tick(); });
  }  // the destructor stops it at once, not an hour later
  EXPECT_EQ(counter.ticks(), 0);
}

TEST(TickerTest, TicksMissedByARunningLateAreMadeUpNotShifted) {
  TickCounter counter;
  // Ten hourly ticks are due already; the eleventh is an hour away.
  Ticker ticker(steady_clock::now() - hours(10) - milliseconds(1), hours(1),
                [&] { counter.Tick(); });
  counter.WaitFor(10);
  ticker.Stop();
  EXPECT_EQ(counter.ticks(), 10);
}

}  // namespace
}  // namespace homecare
