#include "common/server/background_work.h"

#include <algorithm>
#include <utility>

#include "common/logging/log.h"

namespace homecare {

bool BackgroundWork::Context::stopping() const { return work_->stopping_; }

bool BackgroundWork::Context::WaitForStop(absl::Duration timeout) const {
  std::unique_lock<std::mutex> lock(work_->mutex_);
  if (timeout == absl::InfiniteDuration()) {
    work_->stop_.wait(lock, [this] { return work_->stopping_.load(); });
    return true;
  }
  return work_->stop_.wait_for(lock, absl::ToChronoNanoseconds(timeout),
                               [this] { return work_->stopping_.load(); });
}

void BackgroundWork::Context::SetHealthy(bool healthy) const {
  if (!name_.empty()) work_->Report(name_, healthy);
}

BackgroundWork::BackgroundWork(Options options) : options_(options) {}

BackgroundWork::~BackgroundWork() { Stop(); }

void BackgroundWork::Run(std::string name, std::function<absl::Status(const Context&)> run) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (stopping_) return;
  Task task{std::move(name), std::move(run)};
  if (started_) {
    StartTask(std::move(task));
  } else {
    pending_.push_back(std::move(task));
  }
}

void BackgroundWork::Every(std::string name, absl::Duration interval,
                           std::function<absl::Status()> tick) {
  Run(name, [name, interval, tick = std::move(tick)](const Context& context) {
    bool healthy = true;
    do {
      absl::Status status = tick();
      if (status.ok() != healthy) {
        healthy = status.ok();
        context.SetHealthy(healthy);
        if (!healthy) LogWarning("background task ", name, " failing: ", status.ToString());
      }
    } while (!context.WaitForStop(interval));
    return absl::OkStatus();
  });
}

bool BackgroundWork::Launch(std::function<void(const Context&)> work) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (stopping_) return false;
  JoinFinished();
  auto done = std::make_shared<std::atomic<bool>>(false);
  std::thread thread([this, done, work = std::move(work)] {
    work(Context(this, ""));
    *done = true;
  });
  launched_.push_back({std::move(thread), std::move(done)});
  return true;
}

void BackgroundWork::Start(HealthReporter report) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (started_ || stopping_) return;
  started_ = true;
  report_ = std::move(report);
  for (Task& task : pending_) StartTask(std::move(task));
  pending_.clear();
}

void BackgroundWork::Stop() {
  std::vector<std::thread> tasks;
  std::list<Worker> launched;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
    tasks.swap(tasks_);
    launched.swap(launched_);
    pending_.clear();
  }
  stop_.notify_all();
  for (std::thread& thread : tasks) thread.join();
  for (Worker& worker : launched) worker.thread.join();
}

int BackgroundWork::launched() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return static_cast<int>(std::count_if(launched_.begin(), launched_.end(),
                                        [](const Worker& worker) { return !*worker.done; }));
}

void BackgroundWork::StartTask(Task task) {
  tasks_.emplace_back([this, task = std::move(task)] { RunTask(task); });
}

void BackgroundWork::RunTask(const Task& task) {
  Context context(this, task.name);
  absl::Duration retry = options_.first_retry;
  while (!stopping_) {
    Report(task.name, true);
    absl::Time began = absl::Now();
    absl::Status status = task.run(context);
    if (status.ok() || stopping_) break;
    // A task that ran well for a while before failing starts its backoff again.
    if (absl::Now() - began > options_.max_retry) retry = options_.first_retry;
    LogWarning("background task ", task.name, " failed: ", status.ToString(), "; again in ",
               absl::FormatDuration(retry));
    Report(task.name, false);
    if (context.WaitForStop(retry)) break;
    retry = std::min(retry * 2, options_.max_retry);
  }
  Report(task.name, false);
}

void BackgroundWork::Report(const std::string& name, bool healthy) {
  HealthReporter report;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    report = report_;
  }
  if (report) report(name, healthy);
}

void BackgroundWork::JoinFinished() {
  for (auto it = launched_.begin(); it != launched_.end();) {
    if (*it->done) {
      it->thread.join();
      it = launched_.erase(it);
    } else {
      ++it;
    }
  }
}

}  // namespace homecare
