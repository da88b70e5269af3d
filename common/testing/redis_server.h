// A real redis-server per test, on a unix socket in a fresh directory: no ports to collide on.
#ifndef HOMECARE_COMMON_TESTING_REDIS_SERVER_H_
#define HOMECARE_COMMON_TESTING_REDIS_SERVER_H_

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "common/redis/redis_reply.h"
#include "common/testing/subprocess.h"

namespace homecare::testing {

class RedisServer {
 public:
  struct Options {
    // AOF with fsync before every reply, as in production: what the durability tests rely on.
    bool append_only = true;
  };

  static absl::StatusOr<std::unique_ptr<RedisServer>> Start(Options options);
  static absl::StatusOr<std::unique_ptr<RedisServer>> Start() { return Start(Options{}); }
  ~RedisServer();

  // "unix:/tmp/hc-redis-XXXXXX/redis.sock", for RedisOptions::address and --redis.
  std::string address() const { return "unix:" + socket_path_; }
  const std::string& dir() const { return dir_; }
  std::string log() const { return ReadFileOrEmpty(dir_ + "/redis.log"); }

  // Shuts down cleanly (SIGTERM).
  absl::Status Stop();
  // kill -9: no chance to flush anything that was not already written.
  absl::Status Kill();
  // SIGSTOP / SIGCONT: a stalled server that still accepts connections.
  absl::Status Pause();
  absl::Status Resume();
  // Starts again on the same socket and data directory (reloading the AOF).
  absl::Status Restart();

  // A command on a fresh connection, for tests to inspect or change what is stored.
  absl::StatusOr<RedisReply> Command(const std::vector<std::string>& args);

 private:
  RedisServer(Options options, std::string dir);
  absl::Status Launch();

  Options options_;
  std::string dir_;
  std::string socket_path_;
  std::optional<Subprocess> process_;
};

}  // namespace homecare::testing

#endif  // HOMECARE_COMMON_TESTING_REDIS_SERVER_H_
