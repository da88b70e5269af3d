#include "common/testing/service_process.h"

#include <thread>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "common/client/channel.h"

namespace homecare::testing {

absl::StatusOr<std::unique_ptr<ServiceProcess>> ServiceProcess::Start(Options options) {
  auto service = std::unique_ptr<ServiceProcess>(new ServiceProcess());
  service->dir_ = MakeTempDir("hc-svc");
  std::string port_file = service->dir_ + "/port";
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
                                   service->dir_ + "/metrics-port"};
  argv.insert(argv.end(), options.args.begin(), options.args.end());
  std::vector<std::string> env;
  if (options.clock != nullptr) {
    for (std::string& arg : options.clock->ServiceArgs()) argv.push_back(std::move(arg));
    env = TestClock::ServiceEnv();
  }
  absl::StatusOr<Subprocess> process = Subprocess::Spawn(argv, service->dir_ + "/service.log", env);
  if (!process.ok()) return process.status();
  service->process_ = *std::move(process);

  absl::Time deadline = absl::Now() + options.ready_timeout;
  while (true) {
    std::string address(absl::StripAsciiWhitespace(ReadFileOrEmpty(port_file)));
    if (!address.empty()) {
      service->address_ = address;
      break;
    }
    if (!service->process_->running()) {
      return absl::FailedPreconditionError(
          absl::StrCat(options.binary, " exited at start-up:\n", service->log()));
    }
    if (absl::Now() >= deadline) {
      return absl::DeadlineExceededError(
          absl::StrCat(options.binary, " did not bind a port:\n", service->log()));
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  if (options.wait_for_serving) {
    auto channel = service->NewChannel();
    absl::Status ready = WaitForServing(*channel, "", deadline - absl::Now());
    if (!ready.ok()) {
      return absl::Status(ready.code(), absl::StrCat(ready.message(), "\n", service->log()));
    }
  }
  return service;
}

ServiceProcess::~ServiceProcess() {
  if (process_.has_value()) process_->Terminate(absl::Seconds(5)).IgnoreError();
  RemoveTree(dir_);
}

absl::StatusOr<std::string> ServiceProcess::MetricsAddress(absl::Duration timeout) const {
  const absl::Time deadline = absl::Now() + timeout;
  while (true) {
    std::string address(absl::StripAsciiWhitespace(ReadFileOrEmpty(dir_ + "/metrics-port")));
    if (!address.empty()) return address;
    if (absl::Now() >= deadline) {
      return absl::DeadlineExceededError(absl::StrCat("no metrics endpoint:\n", log()));
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

std::shared_ptr<grpc::Channel> ServiceProcess::NewChannel() const {
  ChannelOptions options;
  options.initial_reconnect_backoff = absl::Milliseconds(50);
  options.max_reconnect_backoff = absl::Milliseconds(250);
  return MakeChannel(address_, options);
}

absl::StatusOr<int> ServiceProcess::Stop(absl::Duration grace) {
  if (!process_.has_value()) return absl::FailedPreconditionError("not running");
  return process_->Terminate(grace);
}

}  // namespace homecare::testing
