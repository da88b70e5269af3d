#include "common/testing/redis_server.h"

#include <signal.h>

#include <cstdlib>
#include <thread>

#include "absl/strings/str_cat.h"
#include "common/redis/redis_connection.h"

namespace homecare::testing {

absl::StatusOr<std::unique_ptr<RedisServer>> RedisServer::Start(Options options) {
  auto server = std::unique_ptr<RedisServer>(new RedisServer(options, MakeTempDir("hc-redis")));
  if (absl::Status status = server->Launch(); !status.ok()) return status;
  return server;
}

RedisServer::RedisServer(Options options, std::string dir)
    : options_(options), dir_(std::move(dir)), socket_path_(dir_ + "/redis.sock") {}

RedisServer::~RedisServer() {
  if (process_.has_value()) {
    process_->Signal(SIGCONT).IgnoreError();
    process_->Terminate(absl::Seconds(5)).IgnoreError();
  }
  RemoveTree(dir_);
}

absl::Status RedisServer::Launch() {
  const char* binary = std::getenv("HOMECARE_REDIS_SERVER");
  std::vector<std::string> argv = {
      binary != nullptr ? binary : "redis-server",
      "--port",
      "0",
      "--unixsocket",
      socket_path_,
      "--unixsocketperm",
      "700",
      "--dir",
      dir_,
      "--save",
      "",
      "--appendonly",
      options_.append_only ? "yes" : "no",
      "--appendfsync",
      "always",
      "--daemonize",
      "no",
      "--loglevel",
      "warning",
  };
  absl::StatusOr<Subprocess> process = Subprocess::Spawn(argv, dir_ + "/redis.log");
  if (!process.ok()) return process.status();
  process_ = *std::move(process);

  absl::Time deadline = absl::Now() + absl::Seconds(20);
  while (absl::Now() < deadline) {
    if (!process_->running()) {
      return absl::FailedPreconditionError(
          absl::StrCat("redis-server exited at start-up:\n", log()));
    }
    absl::StatusOr<RedisReply> pong = Command({"PING"});
    if (pong.ok() && pong->str == "PONG") return absl::OkStatus();
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return absl::DeadlineExceededError(absl::StrCat("redis-server not ready:\n", log()));
}

absl::Status RedisServer::Stop() {
  if (!process_.has_value()) return absl::OkStatus();
  process_->Signal(SIGCONT).IgnoreError();
  absl::StatusOr<int> status = process_->Terminate(absl::Seconds(10));
  process_.reset();
  return status.status();
}

absl::Status RedisServer::Kill() {
  if (!process_.has_value()) return absl::OkStatus();
  if (absl::Status status = process_->Signal(SIGKILL); !status.ok()) return status;
  absl::StatusOr<int> status = process_->Wait(absl::Seconds(10));
  process_.reset();
  return status.status();
}

absl::Status RedisServer::Pause() {
  if (!process_.has_value()) return absl::FailedPreconditionError("redis-server not running");
  return process_->Signal(SIGSTOP);
}

absl::Status RedisServer::Resume() {
  if (!process_.has_value()) return absl::FailedPreconditionError("redis-server not running");
  return process_->Signal(SIGCONT);
}

absl::Status RedisServer::Restart() {
  if (process_.has_value()) return absl::FailedPreconditionError("redis-server still running");
  return Launch();
}

absl::StatusOr<RedisReply> RedisServer::Command(const std::vector<std::string>& args) {
  RedisEndpoint endpoint;
  endpoint.unix_path = socket_path_;
  absl::StatusOr<std::unique_ptr<RedisConnection>> connection =
      RedisConnection::Open(endpoint, absl::Seconds(1), absl::Seconds(5), "");
  if (!connection.ok()) return connection.status();
  return (*connection)->Command(args);
}

}  // namespace homecare::testing
