// The open server streams of a service, so that shutdown can finish them before the server
// stops (DESIGN.md: NOT_SERVING, then finish open streams, then Server::Shutdown(deadline)).
#ifndef HOMECARE_COMMON_SERVER_STREAM_TRACKER_H_
#define HOMECARE_COMMON_SERVER_STREAM_TRACKER_H_

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>

#include "absl/time/time.h"

namespace homecare {

class StreamTracker {
 public:
  using Id = uint64_t;

  // Registers an open stream; `finish` is called once, from Drain, to make it finish itself
  // (write what is pending, then Finish with OK so that the client resumes elsewhere). Returns
  // 0 when draining has begun: the stream must then finish at once.
  Id Add(std::function<void()> finish);
  // The stream has finished (its OnDone ran).
  void Remove(Id id);

  // Asks every open stream to finish, refuses new ones, and waits until all have been removed
  // or `timeout` passes. Returns how many were still open.
  int Drain(absl::Duration timeout);

  bool draining() const;
  int open() const;

 private:
  mutable std::mutex mutex_;
  std::condition_variable removed_;
  std::map<Id, std::function<void()>> finishers_;
  Id next_id_ = 1;
  bool draining_ = false;
};

}  // namespace homecare

#endif  // HOMECARE_COMMON_SERVER_STREAM_TRACKER_H_
