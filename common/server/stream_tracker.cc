#include "common/server/stream_tracker.h"

#include <utility>
#include <vector>

namespace homecare {

StreamTracker::Id StreamTracker::Add(std::function<void()> finish) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (draining_) return 0;
  Id id = next_id_++;
  finishers_.emplace(id, std::move(finish));
  return id;
}

void StreamTracker::Remove(Id id) {
  if (id == 0) return;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    finishers_.erase(id);
  }
  removed_.notify_all();
}

int StreamTracker::Drain(absl::Duration timeout) {
  std::vector<std::function<void()>> finishers;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    draining_ = true;
    for (auto& [id, finish] : finishers_) finishers.push_back(finish);
  }
  // Outside the lock: a finisher may complete synchronously and call Remove.
  for (auto& finish : finishers) finish();
  std::unique_lock<std::mutex> lock(mutex_);
  removed_.wait_for(lock, absl::ToChronoNanoseconds(timeout),
                    [this] { return finishers_.empty(); });
  return static_cast<int>(finishers_.size());
}

bool StreamTracker::draining() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return draining_;
}

int StreamTracker::open() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return static_cast<int>(finishers_.size());
}

}  // namespace homecare
