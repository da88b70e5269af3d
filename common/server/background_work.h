// Work a service process does beside its RPCs: periodic checks (Redis readiness), a watch's
// reader, and (to come) following another service's changes and raising alerts when they are
// due. Every piece runs on a thread this class owns and joins: nothing is detached, so that
// shutdown knows when the last of it has finished.
//
// Named tasks (Run, Every) show in health as "<service>/background/<name>": SERVING while the
// task runs well, NOT_SERVING after it failed (until it recovers) and once it has stopped. A
// watch's reader (Launch) is one thread per watcher and is not in health.
//
// The service host starts the work once the server accepts calls and stops it in DESIGN.md's
// shutdown order (see ServiceHost::Shutdown).
#ifndef HOMECARE_COMMON_SERVER_BACKGROUND_WORK_H_
#define HOMECARE_COMMON_SERVER_BACKGROUND_WORK_H_

#include <atomic>
#include <condition_variable>
#include <functional>
#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/time.h"

namespace homecare {

class BackgroundWork {
 public:
  struct Options {
    // A long-running task that fails runs again after this, doubling up to max_retry.
    absl::Duration first_retry = absl::Seconds(1);
    absl::Duration max_retry = absl::Seconds(30);
  };

  // What a running piece of work sees.
  class Context {
   public:
    // Whether Stop has been asked for: the work should return soon.
    bool stopping() const;
    // Waits up to `timeout`, returning early on Stop; true when stopping.
    bool WaitForStop(absl::Duration timeout) const;
    // For a long-running task that notices trouble and recovers inside one run.
    void SetHealthy(bool healthy) const;

   private:
    friend class BackgroundWork;
    Context(BackgroundWork* work, std::string name) : work_(work), name_(std::move(name)) {}
    BackgroundWork* work_;
    std::string name_;  // empty for launched work
  };

  // Told when a named task's health changes.
  using HealthReporter = std::function<void(const std::string& name, bool healthy)>;

  BackgroundWork() : BackgroundWork(Options{}) {}
  explicit BackgroundWork(Options options);
  ~BackgroundWork();  // Stop()

  // A long-running task: `run(context)` until it returns. An error is logged, the task shows
  // NOT_SERVING and runs again after a backoff; OK ends it. Names are unique.
  void Run(std::string name, std::function<absl::Status(const Context&)> run);

  // A periodic task: `tick()` now and then every `interval` until Stop; its health follows the
  // last tick's result.
  void Every(std::string name, absl::Duration interval, std::function<absl::Status()> tick);

  // One stream's work (a watch's reader): runs `work(context)` once on a thread of its own,
  // joined when it has ended (by the next Launch or by Stop). False when stopping: the caller
  // must finish the stream itself.
  bool Launch(std::function<void(const Context&)> work);

  // Starts the named tasks added so far; those added later start at once. Launch works
  // before Start too (streams may open as soon as the server serves).
  void Start(HealthReporter report);

  // Asks every task and launched work to stop, and joins them all. Idempotent.
  void Stop();

  // Launched work still running, for tests and diagnostics.
  int launched() const;

 private:
  struct Task {
    std::string name;
    std::function<absl::Status(const Context&)> run;
  };
  struct Worker {
    std::thread thread;
    std::shared_ptr<std::atomic<bool>> done;
  };

  void StartTask(Task task);  // with mutex_ held
  void RunTask(const Task& task);
  void Report(const std::string& name, bool healthy);
  void JoinFinished();  // with mutex_ held

  const Options options_;
  mutable std::mutex mutex_;
  mutable std::condition_variable stop_;
  std::atomic<bool> stopping_{false};
  bool started_ = false;
  HealthReporter report_;
  std::vector<Task> pending_;
  std::vector<std::thread> tasks_;
  std::list<Worker> launched_;
};

}  // namespace homecare

#endif  // HOMECARE_COMMON_SERVER_BACKGROUND_WORK_H_
