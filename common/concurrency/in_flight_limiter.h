// Load shedding: a cap on the requests a server works on at once. Past it, callers answer
// RESOURCE_EXHAUSTED at once rather than queue work they cannot finish in time.
#ifndef HOMECARE_COMMON_CONCURRENCY_IN_FLIGHT_LIMITER_H_
#define HOMECARE_COMMON_CONCURRENCY_IN_FLIGHT_LIMITER_H_

#include <atomic>

namespace homecare {

class InFlightLimiter {
 public:
  explicit InFlightLimiter(int limit) : limit_(limit) {}

  // Takes a slot; false when `limit` are already taken.
  bool TryAcquire() {
    int current = in_flight_.load(std::memory_order_relaxed);
    while (current < limit_) {
      if (in_flight_.compare_exchange_weak(current, current + 1, std::memory_order_acq_rel)) {
        return true;
      }
    }
    return false;
  }
  void Release() { in_flight_.fetch_sub(1, std::memory_order_acq_rel); }

  int in_flight() const { return in_flight_.load(std::memory_order_acquire); }
  int limit() const { return limit_; }

 private:
  const int limit_;
  std::atomic<int> in_flight_{0};
};

}  // namespace homecare

#endif  // HOMECARE_COMMON_CONCURRENCY_IN_FLIGHT_LIMITER_H_
