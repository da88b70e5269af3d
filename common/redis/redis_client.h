// The Redis client every store uses: a pool of synchronous hiredis connections with connect and
// command timeouts, a circuit breaker against a stalled Redis, pipelining, and Lua scripts run
// by SHA with a NOSCRIPT fallback. Against a Redis Cluster (RedisOptions::cluster_seeds) the same
// calls go to the node serving each key's slot, through that node's own pool and breaker: a
// tenant's keys share a slot (its hash tag), so one script or pipeline of a tenant is one node's.
//
// Every failure is an absl::Status, never a crash or a hang: UNAVAILABLE when Redis cannot be
// reached or does not answer within the timeouts (or the breaker is open), RESOURCE_EXHAUSTED
// when Redis is out of memory, INTERNAL for an error reply that means a bug (WRONGTYPE, a script
// error). Calls block the calling thread: make them from a worker pool, never from a gRPC
// callback thread.
#ifndef HOMECARE_COMMON_REDIS_REDIS_CLIENT_H_
#define HOMECARE_COMMON_REDIS_REDIS_CLIENT_H_

#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "absl/functional/function_ref.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/metrics/metrics.h"
#include "common/redis/circuit_breaker.h"
#include "common/redis/lua_script.h"
#include "common/redis/redis_connection.h"
#include "common/redis/redis_reply.h"

namespace homecare {

struct RedisOptions {
  std::string address = "127.0.0.1:6379";  // see RedisEndpoint::Parse
  std::string password = "";               // AUTH when set
  int pool_size = 8;
  absl::Duration connect_timeout = absl::Milliseconds(500);
  absl::Duration command_timeout = absl::Seconds(1);
  // How long a call waits for a free connection when all `pool_size` are busy; then it fails
  // with RESOURCE_EXHAUSTED.
  absl::Duration pool_wait_timeout = absl::Seconds(1);
  CircuitBreaker::Options breaker = {};
  // A write is acknowledged only once WAIT says this many replicas of its master have it (0:
  // once the master has it). Short of them within half the command timeout, the call is
  // UNAVAILABLE: written on the master, not yet safe from its failover; the caller retries
  // (every write is idempotent by request id). See the README for what each setting can lose.
  int min_replicas_acked = 0;
  // When set, Redis is a Redis Cluster and these are some of its nodes ("host:port" each):
  // `address` is not used. Each node gets a pool and a breaker of its own.
  std::vector<std::string> cluster_seeds = {};
};

class RedisClient {
 public:
  // INVALID_ARGUMENT for an address that does not parse. Connects lazily: a client can be made
  // while Redis is down, and calls fail with UNAVAILABLE until it is back. The first call
  // ignores SIGPIPE for the process, so that a dead Redis fails calls instead of killing it.
  static absl::StatusOr<std::unique_ptr<RedisClient>> Create(RedisOptions options,
                                                             const Clock* clock = nullptr);

  ~RedisClient();
  RedisClient(const RedisClient&) = delete;
  RedisClient& operator=(const RedisClient&) = delete;

  // One command; an error reply is a non-OK status (see the file comment).
  absl::StatusOr<RedisReply> Command(const std::vector<std::string>& args);

  // Every command in one round trip on one connection. Error replies stay in the result as
  // kError replies, one per command that failed; only a failure to talk to Redis is a status.
  absl::StatusOr<std::vector<RedisReply>> Pipeline(
      const std::vector<std::vector<std::string>>& commands);

  // EVALSHA, loading the script and retrying once if Redis answers NOSCRIPT (after a restart,
  // a failover or SCRIPT FLUSH). `keys` must fit the script (LuaScript::TakesKeys).
  absl::StatusOr<RedisReply> RunScript(const LuaScript& script,
                                       const std::vector<std::string>& keys,
                                       const std::vector<std::string>& args);

  // One call of a script: its KEYS and ARGV.
  struct ScriptCall {
    std::vector<std::string> keys;
    std::vector<std::string> args;
  };
  // Many calls of `script` in one round trip: each call is its own atomic transition (a batch
  // is never one long script that would stall every tenant), only the network trip is shared.
  // A script error stays in the result as a kError reply for that call; NOSCRIPT is handled as
  // in RunScript.
  absl::StatusOr<std::vector<RedisReply>> RunScriptPipeline(const LuaScript& script,
                                                            const std::vector<ScriptCall>& calls);

  // SCRIPT LOAD of each script, at start-up. Failure is not fatal: RunScript loads on demand.
  absl::Status LoadScripts(const std::vector<const LuaScript*>& scripts);

  // PING through the pool and the breaker: readiness for health checks.
  absl::Status Ping();

  // A connection of its own, outside the pool and the breaker, for blocking reads
  // (XREAD BLOCK): its command timeout must exceed the block time. On a cluster, to the node
  // that serves `key` (any master when it is empty).
  absl::StatusOr<std::unique_ptr<RedisConnection>> OpenDedicated(absl::Duration command_timeout,
                                                                 absl::string_view key = "");

  const CircuitBreaker& breaker() const { return breaker_; }
  // The server, or a cluster's first seed.
  const RedisEndpoint& endpoint() const { return endpoint_; }
  bool is_cluster() const { return cluster_ != nullptr; }

 private:
  // A Redis Cluster's nodes and which serves each slot (redis_client.cc).
  struct Cluster;

  RedisClient(RedisOptions options, RedisEndpoint endpoint, const Clock* clock);

  // On a cluster: each command to the node that serves its key (a command without a key goes
  // with the next one that has a key), following MOVED (and refreshing the slot map), ASK (with
  // ASKING, for that command only) and TRYAGAIN, a few times at most.
  absl::StatusOr<std::vector<RedisReply>> ClusterPipeline(
      const std::vector<std::vector<std::string>>& commands);
  // CLUSTER SLOTS from a known node (each asked in turn until one answers), at most every
  // 100 ms unless `force`. After `failed` failed a call, from one other node only: any node
  // that answers knows of a failover, and each stalled node asked costs the caller a timeout.
  absl::Status RefreshSlots(bool force, const RedisClient* failed = nullptr);
  // The node client for `endpoint`, made on first use (cluster_->mutex held).
  RedisClient* NodeLocked(const RedisEndpoint& endpoint);
  // The node serving `key`'s slot (any master for none); refreshes an empty map first.
  absl::StatusOr<RedisClient*> NodeFor(const std::optional<std::string>& key);

  // Runs `call` on a pooled connection under the breaker; records the outcome.
  absl::StatusOr<RedisReply> WithConnection(
      absl::FunctionRef<absl::StatusOr<RedisReply>(RedisConnection&)> call);
  absl::StatusOr<std::unique_ptr<RedisConnection>> Acquire();
  void Release(std::unique_ptr<RedisConnection> connection);

  // Records the breaker's state in its gauge (0 closed, 1 open, 2 half open).
  void RecordBreakerState();

  const RedisOptions options_;
  const RedisEndpoint endpoint_;
  const Clock* const clock_;
  CircuitBreaker breaker_;
  std::unique_ptr<Cluster> cluster_;  // null for a single server
  // In DefaultMetrics, by node (the endpoint): calls (a command, a pipeline or a script run),
  // those that failed by why, and the breaker's state.
  Counter& calls_;
  Family<Counter>& call_errors_;
  Gauge& breaker_state_;

  std::mutex mutex_;
  std::condition_variable returned_;
  std::vector<std::unique_ptr<RedisConnection>> idle_;
  int open_connections_ = 0;  // idle and in use
};

// Maps an error reply to a status: UNAVAILABLE for a Redis that cannot serve now (LOADING, BUSY,
// READONLY, MASTERDOWN...), RESOURCE_EXHAUSTED for OOM, INTERNAL otherwise.
absl::Status ErrorReplyToStatus(const RedisReply& reply);

}  // namespace homecare

#endif  // HOMECARE_COMMON_REDIS_REDIS_CLIENT_H_
