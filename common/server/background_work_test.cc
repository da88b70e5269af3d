#include "common/server/background_work.h"

#include <condition_variable>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "absl/synchronization/notification.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace homecare {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

// Health as the host would publish it, with a way to wait for a state.
class HealthRecord {
 public:
  BackgroundWork::HealthReporter Reporter() {
    return [this](const std::string& name, bool healthy) {
      std::lock_guard<std::mutex> lock(mutex_);
      history_[name].push_back(healthy);
      changed_.notify_all();
    };
  }
  // Waits until `name`'s history satisfies `done`; false after 30 s (a hung test, not a timing
  // rule: the expected event comes in microseconds).
  bool WaitFor(const std::string& name, std::function<bool(const std::vector<bool>&)> done) {
    std::unique_lock<std::mutex> lock(mutex_);
    return changed_.wait_for(lock, std::chrono::seconds(30), [&] { return done(history_[name]); });
  }
  std::vector<bool> History(const std::string& name) {
    std::lock_guard<std::mutex> lock(mutex_);
    return history_[name];
  }

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  std::map<std::string, std::vector<bool>> history_;
};

BackgroundWork::Options Quick() {
  return {.first_retry = absl::Milliseconds(1), .max_retry = absl::Milliseconds(4)};
}

TEST(BackgroundWorkTest, TasksStartWithTheHostAndStopJoined) {
  HealthRecord health;
  absl::Notification started;
  std::atomic<bool> returned{false};
  {
    BackgroundWork work(Quick());
    work.Run("follower", [&](const BackgroundWork::Context& context) {
      started.Notify();
      context.WaitForStop(absl::InfiniteDuration());
      returned = true;
      return absl::OkStatus();
    });
    EXPECT_FALSE(started.WaitForNotificationWithTimeout(absl::ZeroDuration()));
    work.Start(health.Reporter());
    started.WaitForNotification();
    EXPECT_THAT(health.History("follower"), ElementsAre(true));
    work.Stop();
    // Joined: the task has returned by the time Stop does.
    EXPECT_TRUE(returned);
    EXPECT_THAT(health.History("follower"), ElementsAre(true, false));
    work.Stop();  // idempotent
  }
}

TEST(BackgroundWorkTest, AFailingTaskShowsUnhealthyAndRunsAgain) {
  HealthRecord health;
  BackgroundWork work(Quick());
  std::atomic<int> runs{0};
  absl::Notification third_run;
  work.Start(health.Reporter());
  // Added after Start: runs at once.
  work.Run("flaky", [&](const BackgroundWork::Context& context) -> absl::Status {
    if (++runs < 3) return absl::UnavailableError("roster unreachable");
    third_run.Notify();
    context.WaitForStop(absl::InfiniteDuration());
    return absl::OkStatus();
  });
  third_run.WaitForNotification();
  EXPECT_THAT(health.History("flaky"), ElementsAre(true, false, true, false, true));
  EXPECT_EQ(runs, 3);
  work.Stop();
}

TEST(BackgroundWorkTest, APeriodicTaskTicksAndItsHealthFollowsTheLastTick) {
  HealthRecord health;
  BackgroundWork work(Quick());
  std::atomic<int> ticks{0};
  work.Every("readiness", absl::Milliseconds(1), [&]() -> absl::Status {
    int tick = ++ticks;
    return tick == 2 || tick == 3 ? absl::UnavailableError("redis down") : absl::OkStatus();
  });
  work.Start(health.Reporter());
  ASSERT_TRUE(
      health.WaitFor("readiness", [](const std::vector<bool>& h) { return h.size() >= 3; }));
  // SERVING at start, NOT_SERVING from the failing tick, SERVING again from the good one: a
  // change of health is reported once, not on every tick.
  EXPECT_THAT(health.History("readiness"), ElementsAre(true, false, true));
  EXPECT_GE(ticks, 4);
  work.Stop();
  EXPECT_THAT(health.History("readiness"), ElementsAre(true, false, true, false));
}

TEST(BackgroundWorkTest, LaunchedWorkIsJoinedAndRefusedOnceStopping) {
  BackgroundWork work(Quick());
  absl::Notification first_done;
  ASSERT_TRUE(work.Launch([&](const BackgroundWork::Context&) { first_done.Notify(); }));
  first_done.WaitForNotification();
  absl::Notification second_running;
  std::atomic<bool> second_saw_stop{false};
  ASSERT_TRUE(work.Launch([&](const BackgroundWork::Context& context) {
    second_running.Notify();
    second_saw_stop = context.WaitForStop(absl::InfiniteDuration());
  }));
  second_running.WaitForNotification();
  EXPECT_GE(work.launched(), 1);
  work.Stop();
  EXPECT_TRUE(second_saw_stop);
  EXPECT_EQ(work.launched(), 0);
  EXPECT_FALSE(work.Launch([](const BackgroundWork::Context&) {}));
}

TEST(BackgroundWorkTest, NothingRunsAfterStop) {
  HealthRecord health;
  BackgroundWork work(Quick());
  std::atomic<bool> ran{false};
  work.Stop();
  work.Run("late", [&](const BackgroundWork::Context&) {
    ran = true;
    return absl::OkStatus();
  });
  work.Start(health.Reporter());
  work.Stop();
  EXPECT_FALSE(ran);
  EXPECT_THAT(health.History("late"), IsEmpty());
}

}  // namespace
}  // namespace homecare
