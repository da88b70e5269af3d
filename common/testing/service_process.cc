#include "common/testing/service_process.h"

#include <thread>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/client/channel.h"
#include "common/testing/test_redis.h"

namespace homecare::testing {

absl::StatusOr<std::unique_ptr<ServiceProcess>> ServiceProcess::Start(Options options) {
  if (options.replicas < 1) options.replicas = ClusterTestStack() ? 2 : 1;
  auto service = std::unique_ptr<ServiceProcess>(new ServiceProcess());
  std::vector<std::string> addresses;
  for (int replica = 0; replica < options.replicas; ++replica) {
    if (absl::Status started = service->StartReplica(options); !started.ok()) return started;
    addresses.push_back(service->replicas_.back().address);
  }
  service->address_ = absl::StrJoin(addresses, ",");
  return service;
}

absl::Status ServiceProcess::StartReplica(const Options& options) {
  Replica& replica = replicas_.emplace_back();
  replica.dir = MakeTempDir("hc-svc");
  std::string port_file = replica.dir + "/port";
  std::vector<std::string> argv = {options.binary,
                                   "--host",
                                   "127.0.0.1",
                                   "--port",
                                   "0",
                                   "--port-file",
                                   port_file,
                                   "--metrics-port",
                                   "0",
                                   "--metrics-port-file",
                                   replica.dir + "/metrics-port"};
  argv.insert(argv.end(), options.args.begin(), options.args.end());
  std::vector<std::string> env;
  if (options.clock != nullptr) {
    for (std::string& arg : options.clock->ServiceArgs()) argv.push_back(std::move(arg));
    env = TestClock::ServiceEnv();
  }
  const std::string log_path = replica.dir + "/service.log";
  absl::StatusOr<Subprocess> process = Subprocess::Spawn(argv, log_path, env);
  if (!process.ok()) return process.status();
  replica.process = *std::move(process);

  absl::Time deadline = absl::Now() + options.ready_timeout;
  while (true) {
    std::string address(absl::StripAsciiWhitespace(ReadFileOrEmpty(port_file)));
    if (!address.empty()) {
      replica.address = address;
      break;
    }
    if (!replica.process->running()) {
      return absl::FailedPreconditionError(
          absl::StrCat(options.binary, " exited at start-up:\n", ReadFileOrEmpty(log_path)));
    }
    if (absl::Now() >= deadline) {
      return absl::DeadlineExceededError(
          absl::StrCat(options.binary, " did not bind a port:\n", ReadFileOrEmpty(log_path)));
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  if (options.wait_for_serving) {
    ChannelOptions channel_options;
    channel_options.initial_reconnect_backoff = absl::Milliseconds(50);
    auto channel = MakeChannel(replica.address, channel_options);
    absl::Status ready = WaitForServing(*channel, "", deadline - absl::Now());
    if (!ready.ok()) {
      return absl::Status(ready.code(),
                          absl::StrCat(ready.message(), "\n", ReadFileOrEmpty(log_path)));
    }
  }
  return absl::OkStatus();
}

ServiceProcess::~ServiceProcess() {
  for (Replica& replica : replicas_) {
    if (replica.process.has_value()) replica.process->Terminate(absl::Seconds(5)).IgnoreError();
    RemoveTree(replica.dir);
  }
}

absl::StatusOr<std::string> ServiceProcess::MetricsAddress(absl::Duration timeout) const {
  const absl::Time deadline = absl::Now() + timeout;
  while (true) {
    std::string address(
        absl::StripAsciiWhitespace(ReadFileOrEmpty(replicas_.front().dir + "/metrics-port")));
    if (!address.empty()) return address;
    if (absl::Now() >= deadline) {
      return absl::DeadlineExceededError(absl::StrCat("no metrics endpoint:\n", log()));
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

std::string ServiceProcess::log() const {
  if (replicas_.size() == 1) return ReadFileOrEmpty(replicas_.front().dir + "/service.log");
  std::string all;
  for (const Replica& replica : replicas_) {
    absl::StrAppend(&all, ReadFileOrEmpty(replica.dir + "/service.log"));
  }
  return all;
}

std::shared_ptr<grpc::Channel> ServiceProcess::NewChannel() const {
  ChannelOptions options;
  options.initial_reconnect_backoff = absl::Milliseconds(50);
  options.max_reconnect_backoff = absl::Milliseconds(250);
  return MakeChannel(address_, options);
}

absl::StatusOr<int> ServiceProcess::Stop(absl::Duration grace) {
  std::optional<absl::StatusOr<int>> first_unclean;
  for (Replica& replica : replicas_) {
    if (!replica.process.has_value()) return absl::FailedPreconditionError("not running");
    absl::StatusOr<int> stopped = replica.process->Terminate(grace);
    if (!first_unclean && (!stopped.ok() || *stopped != 0)) first_unclean = stopped;
  }
  return first_unclean.value_or(0);
}

}  // namespace homecare::testing
