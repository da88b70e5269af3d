// A fixed pool of threads for blocking work (Redis calls, outgoing RPCs), so that gRPC's two
// callback threads never block.
#ifndef HOMECARE_COMMON_CONCURRENCY_WORKER_POOL_H_
#define HOMECARE_COMMON_CONCURRENCY_WORKER_POOL_H_

#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>
#include <vector>

#include "absl/functional/any_invocable.h"

namespace homecare {

class WorkerPool {
 public:
  explicit WorkerPool(int threads);
  // Runs what was queued, then joins.
  ~WorkerPool();

  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  // Queues `task`; returns false (and drops it) once Shutdown has begun. The queue is unbounded:
  // callers bound the work in flight (see InFlightLimiter).
  bool Submit(absl::AnyInvocable<void() &&> task);

  // Stops taking tasks, runs those already queued, joins the threads. Idempotent.
  void Shutdown();

  int size() const { return static_cast<int>(threads_.size()); }
  // Tasks waiting for a thread.
  int queued() const;

 private:
  void Run();

  mutable std::mutex mutex_;
  std::condition_variable ready_;
  std::deque<absl::AnyInvocable<void() &&>> queue_;
  bool stopping_ = false;
  std::vector<std::thread> threads_;
};

}  // namespace homecare

#endif  // HOMECARE_COMMON_CONCURRENCY_WORKER_POOL_H_
