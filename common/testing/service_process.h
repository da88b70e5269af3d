// A real service binary per test: started with --port 0 and a port file (and its metrics the same),
// ready once its health check says SERVING. On the cluster test stack (ClusterTestStack), or
// with Options::replicas, it is two processes of the binary, which callers reach round robin
// through address(): the integration suites run their services so on a Redis Cluster.
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
    // Processes of the binary; 0: two on the cluster test stack, else one.
    int replicas = 0;
  };

  static absl::StatusOr<std::unique_ptr<ServiceProcess>> Start(Options options);
  ~ServiceProcess();

  // "127.0.0.1:<port>"; with replicas, every replica's, comma-separated (a target that
  // MakeChannel and the services' --roster and --scheduling flags take round robin).
  const std::string& address() const { return address_; }
  int replicas() const { return static_cast<int>(replicas_.size()); }
  // The first replica's metrics endpoint "127.0.0.1:<port>" (every service is started with
  // --metrics-port 0), once it is written (just after the gRPC port).
  absl::StatusOr<std::string> MetricsAddress(absl::Duration timeout = absl::Seconds(10)) const;
  // A new channel with short reconnect backoffs, round robin over the replicas.
  std::shared_ptr<grpc::Channel> NewChannel() const;
  // Every replica's log, one after another.
  std::string log() const;
  // The first replica's.
  pid_t pid() const { return replicas_.front().process->pid(); }

  // SIGTERM to every replica and wait; the exit status (0 for a clean shutdown; else the first
  // replica's that was not).
  absl::StatusOr<int> Stop(absl::Duration grace = absl::Seconds(15));

 private:
  struct Replica {
    std::string dir;
    std::string address;
    std::optional<Subprocess> process;
  };

  ServiceProcess() = default;
  absl::Status StartReplica(const Options& options);

  std::vector<Replica> replicas_;
  std::string address_;
};

}  // namespace homecare::testing

#endif  // HOMECARE_COMMON_TESTING_SERVICE_PROCESS_H_
