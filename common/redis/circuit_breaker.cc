#include "common/redis/circuit_breaker.h"

#include <algorithm>

namespace homecare {

CircuitBreaker::Permit::Permit(Permit&& other) noexcept
    : breaker_(other.breaker_), trial_(other.trial_) {
  other.breaker_ = nullptr;
}

CircuitBreaker::Permit::~Permit() {
  if (breaker_ != nullptr) breaker_->Abandon(trial_);
}

void CircuitBreaker::Permit::Succeeded() {
  if (breaker_ == nullptr) return;
  breaker_->Record(trial_, true);
  breaker_ = nullptr;
}

void CircuitBreaker::Permit::Failed() {
  if (breaker_ == nullptr) return;
  breaker_->Record(trial_, false);
  breaker_ = nullptr;
}

CircuitBreaker::CircuitBreaker(Options options, const Clock* clock)
    : options_(options),
      clock_(clock != nullptr ? clock : &system_clock_),
      current_open_duration_(options.open_duration) {}

CircuitBreaker::Permit CircuitBreaker::Allow() {
  std::lock_guard<std::mutex> lock(mutex_);
  switch (state_) {
    case State::kClosed:
      return Permit(this, false);
    case State::kOpen:
      if (clock_->Now() < open_until_) return Permit(nullptr, false);
      state_ = State::kHalfOpen;
      trial_in_flight_ = true;
      return Permit(this, true);
    case State::kHalfOpen:
      if (trial_in_flight_) return Permit(nullptr, false);
      trial_in_flight_ = true;
      return Permit(this, true);
  }
  return Permit(nullptr, false);
}

void CircuitBreaker::Record(bool trial, bool success) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (trial) trial_in_flight_ = false;
  if (success) {
    consecutive_failures_ = 0;
    // Calls that started before the breaker opened may still succeed; only a trial (or a closed
    // breaker) decides that the dependency is healthy again.
    if (trial || state_ == State::kClosed) {
      state_ = State::kClosed;
      current_open_duration_ = options_.open_duration;
    }
    return;
  }
  ++consecutive_failures_;
  if (trial) {
    current_open_duration_ = std::min(current_open_duration_ * 2, options_.max_open_duration);
  }
  if (trial || (state_ == State::kClosed && consecutive_failures_ >= options_.failure_threshold)) {
    state_ = State::kOpen;
    open_until_ = clock_->Now() + current_open_duration_;
  }
}

void CircuitBreaker::Abandon(bool trial) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (trial) trial_in_flight_ = false;
}

CircuitBreaker::State CircuitBreaker::state() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return state_;
}

absl::Duration CircuitBreaker::RemainingOpen() const {
  std::lock_guard<std::mutex> lock(mutex_);
  if (state_ != State::kOpen) return absl::ZeroDuration();
  return std::max(absl::ZeroDuration(), open_until_ - clock_->Now());
}

int CircuitBreaker::consecutive_failures() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return consecutive_failures_;
}

}  // namespace homecare
