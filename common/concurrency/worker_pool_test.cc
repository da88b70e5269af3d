#include "common/concurrency/worker_pool.h"

#include <atomic>
#include <memory>
#include <thread>

#include "absl/synchronization/notification.h"
#include "common/concurrency/in_flight_limiter.h"
#include "gtest/gtest.h"

namespace homecare {
namespace {

TEST(WorkerPoolTest, RunsEveryTaskBeforeShutdownReturns) {
  std::atomic<int> done{0};
  {
    WorkerPool pool(3);
    for (int i = 0; i < 1000; ++i) {
      ASSERT_TRUE(pool.Submit([&done] { done.fetch_add(1); }));
    }
    pool.Shutdown();
    EXPECT_EQ(done.load(), 1000);
    EXPECT_FALSE(pool.Submit([&done] { done.fetch_add(1); }));
  }
  EXPECT_EQ(done.load(), 1000);
}

TEST(WorkerPoolTest, TasksRunOffTheCallingThread) {
  WorkerPool pool(2);
  std::thread::id ran_on;
  absl::Notification finished;
  pool.Submit([&] {
    ran_on = std::this_thread::get_id();
    finished.Notify();
  });
  finished.WaitForNotification();
  EXPECT_NE(ran_on, std::this_thread::get_id());
}

TEST(WorkerPoolTest, BlockedWorkersDoNotStopOthers) {
  WorkerPool pool(2);
  absl::Notification release, second_ran;
  pool.Submit([&] { release.WaitForNotification(); });
  pool.Submit([&] { second_ran.Notify(); });
  EXPECT_TRUE(second_ran.WaitForNotificationWithTimeout(absl::Seconds(10)));
  release.Notify();
}

TEST(WorkerPoolTest, MoveOnlyTasks) {
  WorkerPool pool(1);
  auto value = std::make_unique<int>(7);
  std::atomic<int> seen{0};
  pool.Submit([v = std::move(value), &seen] { seen = *v; });
  pool.Shutdown();
  EXPECT_EQ(seen.load(), 7);
}

TEST(InFlightLimiterTest, RefusesPastTheLimitUntilReleased) {
  InFlightLimiter limiter(2);
  EXPECT_TRUE(limiter.TryAcquire());
  EXPECT_TRUE(limiter.TryAcquire());
  EXPECT_FALSE(limiter.TryAcquire());
  EXPECT_EQ(limiter.in_flight(), 2);
  limiter.Release();
  EXPECT_TRUE(limiter.TryAcquire());
}

TEST(InFlightLimiterTest, ConcurrentAcquiresNeverExceedTheLimit) {
  InFlightLimiter limiter(5);
  std::atomic<int> max_seen{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 10000; ++i) {
        if (limiter.TryAcquire()) {
          int now = limiter.in_flight();
          int prev = max_seen.load();
          while (now > prev && !max_seen.compare_exchange_weak(prev, now)) {
          }
          limiter.Release();
        }
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_LE(max_seen.load(), 5);
  EXPECT_EQ(limiter.in_flight(), 0);
}

}  // namespace
}  // namespace homecare
