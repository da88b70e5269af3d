// One synchronous hiredis connection with connect and command timeouts.
//
// hiredis contexts are not thread-safe and cannot be used again after any error (including a
// timeout: the reply may still arrive and would be read as the answer to the next command). So a
// connection marks itself broken on the first I/O error, and its owner must discard it.
#ifndef HOMECARE_COMMON_REDIS_REDIS_CONNECTION_H_
#define HOMECARE_COMMON_REDIS_REDIS_CONNECTION_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "common/redis/redis_reply.h"

struct redisContext;

namespace homecare {

// Where Redis listens: "127.0.0.1:6379", "tcp://host:port", "redis://host:port",
// "unix:/path/redis.sock", "unix:///path/redis.sock" or an absolute socket path.
struct RedisEndpoint {
  std::string host;
  int port = 0;
  std::string unix_path;  // set for a unix socket

  static absl::StatusOr<RedisEndpoint> Parse(absl::string_view address);
  std::string ToString() const;
};

class RedisConnection {
 public:
  // UNAVAILABLE when Redis cannot be reached within `connect_timeout`. A non-empty `password`
  // is sent with AUTH.
  static absl::StatusOr<std::unique_ptr<RedisConnection>> Open(const RedisEndpoint& endpoint,
                                                               absl::Duration connect_timeout,
                                                               absl::Duration command_timeout,
                                                               const std::string& password);
  ~RedisConnection();

  RedisConnection(const RedisConnection&) = delete;
  RedisConnection& operator=(const RedisConnection&) = delete;

  // Sends one command and reads its reply. An error reply (WRONGTYPE, NOSCRIPT...) is returned
  // as a reply of type kError; a failure to talk to Redis (refused, reset, timed out) is
  // UNAVAILABLE and breaks the connection.
  absl::StatusOr<RedisReply> Command(const std::vector<std::string>& args);

  // Sends every command, then reads every reply: one round trip. Replies are in order.
  absl::StatusOr<std::vector<RedisReply>> Pipeline(
      const std::vector<std::vector<std::string>>& commands);

  // Changes the command timeout, e.g. above an XREAD BLOCK's block time.
  absl::Status SetCommandTimeout(absl::Duration timeout);

  bool broken() const { return broken_; }

 private:
  explicit RedisConnection(redisContext* context) : context_(context) {}
  absl::Status Append(const std::vector<std::string>& args);
  absl::StatusOr<RedisReply> ReadReply();
  absl::Status Broken();

  redisContext* context_;
  bool broken_ = false;
};

}  // namespace homecare

#endif  // HOMECARE_COMMON_REDIS_REDIS_CONNECTION_H_
