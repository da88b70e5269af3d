// Child processes for tests: real redis-servers and real service binaries.
#ifndef HOMECARE_COMMON_TESTING_SUBPROCESS_H_
#define HOMECARE_COMMON_TESTING_SUBPROCESS_H_

#include <sys/types.h>

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace homecare::testing {

class Subprocess {
 public:
  // Starts argv[0] (looked up on PATH) with stdout and stderr appended to `log_path`, in this
  // process's environment plus `extra_env` ("NAME=value" each).
  static absl::StatusOr<Subprocess> Spawn(const std::vector<std::string>& argv,
                                          const std::string& log_path,
                                          const std::vector<std::string>& extra_env = {});

  Subprocess(Subprocess&& other) noexcept;
  Subprocess& operator=(Subprocess&& other) noexcept;
  // Kills (SIGKILL) and reaps a child that is still running.
  ~Subprocess();

  pid_t pid() const { return pid_; }
  bool running();
  absl::Status Signal(int signal_number);
  // Waits for the child to exit; returns its wait status, or DEADLINE_EXCEEDED.
  absl::StatusOr<int> Wait(absl::Duration timeout);
  // SIGTERM, wait up to `grace`, then SIGKILL. Returns the wait status.
  absl::StatusOr<int> Terminate(absl::Duration grace);

 private:
  explicit Subprocess(pid_t pid) : pid_(pid) {}
  pid_t pid_ = -1;
  std::optional<int> exit_status_;
};

// A fresh directory under $TMPDIR (or /tmp), short enough for unix socket paths.
std::string MakeTempDir(const std::string& prefix);
void RemoveTree(const std::string& path);
std::string ReadFileOrEmpty(const std::string& path);

}  // namespace homecare::testing

#endif  // HOMECARE_COMMON_TESTING_SUBPROCESS_H_
