// Calls a function at a steady interval on a thread of its own until stopped: progress that
// must keep coming while the thread that makes it is busy (a solve, a plan being written).
// Header-only, so that the engine (services/scheduling/solver), which builds without the rest
// of the project, uses it too.
#ifndef HOMECARE_COMMON_CONCURRENCY_TICKER_H_
#define HOMECARE_COMMON_CONCURRENCY_TICKER_H_

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>
#include <utility>

namespace homecare {

class Ticker {
 public:
  // `tick` runs at begin + interval, begin + 2 * interval, ...; a tick that runs late does not
  // shift the ones after it. `tick` must not stop its own ticker.
  Ticker(std::chrono::steady_clock::time_point begin, std::chrono::steady_clock::duration interval,
         std::function<void()> tick)
      : thread_([this, begin, interval, tick = std::move(tick)] {
          std::unique_lock<std::mutex> lock(mutex_);
          for (auto next = begin + interval;; next += interval) {
            if (wake_.wait_until(lock, next, [this] { return stopped_; })) return;
            tick();
          }
        }) {}
  ~Ticker() { Stop(); }

  Ticker(const Ticker&) = delete;
  Ticker& operator=(const Ticker&) = delete;

  // Returns once no tick runs and none will. Idempotent.
  void Stop() {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      stopped_ = true;
    }
    wake_.notify_one();
    if (thread_.joinable()) thread_.join();
  }

 private:
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopped_ = false;
  std::thread thread_;
};

}  // namespace homecare

#endif  // HOMECARE_COMMON_CONCURRENCY_TICKER_H_
