// A circuit breaker for a dependency that can stall: after `failure_threshold` failures in a
// row it opens, and calls fail at once instead of each waiting a full timeout. After
// `open_duration` one trial call is let through (half-open): success closes the breaker, failure
// opens it again for twice as long (up to `max_open_duration`). So a dead or stalled Redis costs
// a few timeouts, then nothing, and a recovered one is noticed within one open period.
#ifndef HOMECARE_COMMON_REDIS_CIRCUIT_BREAKER_H_
#define HOMECARE_COMMON_REDIS_CIRCUIT_BREAKER_H_

#include <mutex>

#include "absl/time/time.h"
#include "common/time/time.h"

namespace homecare {

class CircuitBreaker {
 public:
  enum class State { kClosed, kOpen, kHalfOpen };

  struct Options {
    int failure_threshold = 3;
    absl::Duration open_duration = absl::Milliseconds(500);
    absl::Duration max_open_duration = absl::Seconds(5);
  };

  // The right to make one call. Report its outcome with Succeeded() or Failed(); a permit
  // dropped without either (the call never reached the dependency) changes nothing.
  class Permit {
   public:
    Permit(Permit&& other) noexcept;
    Permit& operator=(Permit&&) = delete;
    ~Permit();

    explicit operator bool() const { return breaker_ != nullptr; }
    void Succeeded();
    void Failed();

   private:
    friend class CircuitBreaker;
    Permit(CircuitBreaker* breaker, bool trial) : breaker_(breaker), trial_(trial) {}
    CircuitBreaker* breaker_;
    bool trial_;
  };

  // `clock` must outlive the breaker; nullptr means the system clock.
  explicit CircuitBreaker(Options options, const Clock* clock = nullptr);

  // A permit, or an empty one when the breaker is open (or half-open with its trial running).
  Permit Allow();

  State state() const;
  // How long until an open breaker lets a trial through; zero unless open.
  absl::Duration RemainingOpen() const;
  int consecutive_failures() const;

 private:
  void Record(bool trial, bool success);
  void Abandon(bool trial);

  const Options options_;
  SystemClock system_clock_;
  const Clock* clock_;

  mutable std::mutex mutex_;
  State state_ = State::kClosed;
  int consecutive_failures_ = 0;
  absl::Duration current_open_duration_;
  absl::Time open_until_ = absl::InfinitePast();
  bool trial_in_flight_ = false;
};

}  // namespace homecare

#endif  // HOMECARE_COMMON_REDIS_CIRCUIT_BREAKER_H_
