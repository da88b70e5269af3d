// A real service binary per test: started with --port 0 and a port file (and its metrics the same),
// ready once its health check says SERVING.
#ifndef HOMECARE_COMMON_TESTING_SERVICE_PROCESS_H_
#define HOMECARE_COMMON_TESTING_SERVICE_PROCESS_H_

#include <grpcpp/channel.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/testing/subprocess.h"
#include "common/testing/test_clock.h"

namespace homecare::testing {

class ServiceProcess {
 public:
  struct Options {
    std::string binary;
    // Besides --host, --port, --port-file, --metrics-port and --metrics-port-file.
    std::vector<std::string> args;
    // When set, the service's rules run on this clock (which must outlive the process).
    const TestClock* clock = nullptr;
    // When false, Start returns once the port is bound, without waiting for SERVING (for
    // tests that start a service while Redis is down).
    bool wait_for_serving = true;
    absl::Duration ready_timeout = absl::Seconds(30);
  };

  static absl::StatusOr<std::unique_ptr<ServiceProcess>> Start(Options options);
  ~ServiceProcess();

  // "127.0.0.1:<port>"
  const std::string& address() const { return address_; }
  // The metrics endpoint's "127.0.0.1:<port>" (every service is started with --metrics-port 0),
  // once it is written (just after the gRPC port).
  absl::StatusOr<std::string> MetricsAddress(absl::Duration timeout = absl::Seconds(10)) const;
  // A new channel with short reconnect backoffs.
  std::shared_ptr<grpc::Channel> NewChannel() const;
  std::string log() const { return ReadFileOrEmpty(dir_ + "/service.log"); }
  pid_t pid() const { return process_->pid(); }

  // SIGTERM and wait; the exit status (0 for a clean shutdown).
  absl::StatusOr<int> Stop(absl::Duration grace = absl::Seconds(15));

 private:
  ServiceProcess() = default;

  std::string dir_;
  std::string address_;
  std::optional<Subprocess> process_;
};

}  // namespace homecare::testing

#endif  // HOMECARE_COMMON_TESTING_SERVICE_PROCESS_H_
