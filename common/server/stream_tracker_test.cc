#include "common/server/stream_tracker.h"

#include <atomic>
#include <thread>

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
  second = tracker.Add([&] {
    asked++;
    std::thread([&] {  // finishes a little later, from another thread
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
      tracker.Remove(second);
    })
        .detach();
  });
  EXPECT_EQ(tracker.open(), 2);
  EXPECT_EQ(tracker.Drain(absl::Seconds(10)), 0);
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
