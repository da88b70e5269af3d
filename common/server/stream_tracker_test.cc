#include "common/server/stream_tracker.h"

#include <atomic>
#include <thread>

#include "absl/synchronization/notification.h"
#include "gtest/gtest.h"

namespace homecare {
namespace {

TEST(StreamTrackerTest, DrainAsksEveryStreamToFinishAndWaits) {
  StreamTracker tracker;
  std::atomic<int> asked{0};
  StreamTracker::Id first = 0, second = 0;
  first = tracker.Add([&] {
    asked++;
    tracker.Remove(first);  // finishes synchronously
  });
  absl::Notification second_asked;
  second = tracker.Add([&] {
    asked++;
    second_asked.Notify();
  });
  // Finishes from another thread once asked, while Drain waits.
  std::thread finisher([&] {
    second_asked.WaitForNotification();
    tracker.Remove(second);
  });
  EXPECT_EQ(tracker.open(), 2);
  EXPECT_EQ(tracker.Drain(absl::Seconds(30)), 0);
  finisher.join();
  EXPECT_EQ(asked.load(), 2);
  EXPECT_TRUE(tracker.draining());
}

TEST(StreamTrackerTest, NoNewStreamsOnceDrainingAndStragglersAreCounted) {
  StreamTracker tracker;
  tracker.Add([] {});  // never finishes
  EXPECT_EQ(tracker.Drain(absl::Milliseconds(50)), 1);
  EXPECT_EQ(tracker.Add([] {}), 0u);
  tracker.Remove(0);  // harmless
}

}  // namespace
}  // namespace homecare
