// The Redis an integration test runs its services on: one redis-server on a unix socket, or a
// Redis Cluster of three masters with a replica each when HOMECARE_TEST_STACK=cluster. CTest
// runs every integration test both ways (the cluster's runs are named "cluster/..."), so that
// one fixture covers both and no test is copied.
#ifndef HOMECARE_COMMON_TESTING_TEST_REDIS_H_
#define HOMECARE_COMMON_TESTING_TEST_REDIS_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "common/redis/redis_client.h"
#include "common/redis/redis_reply.h"
#include "common/testing/redis_cluster.h"
#include "common/testing/redis_server.h"

namespace homecare::testing {

// Whether HOMECARE_TEST_STACK=cluster: a Redis Cluster (TestRedis) and two processes of each
// service (ServiceProcess), as CTest's "cluster/..." runs set it.
bool ClusterTestStack();

class TestRedis {
 public:
  enum class Kind { kSingle, kCluster };
  // The kind the test stack asks for (ClusterTestStack).
  static absl::StatusOr<std::unique_ptr<TestRedis>> Start();
  static absl::StatusOr<std::unique_ptr<TestRedis>> Start(Kind kind);
  ~TestRedis();

  bool is_cluster() const { return cluster_ != nullptr; }
  // The flags that point a service at it: --redis <address>, or --redis-cluster <nodes>.
  std::vector<std::string> ServiceArgs() const;
  // For a RedisClient in the test itself.
  RedisOptions ClientOptions() const;
  std::string log() const;

  // A command as a client sees it, on a fresh connection: routed by its key on a cluster, where
  // a command without a key (KEYS, DBSIZE, FLUSHALL, SCRIPT FLUSH...) runs on every master and
  // KEYS answers what all of them hold.
  absl::StatusOr<RedisReply> Command(const std::vector<std::string>& args);

  // On a cluster, every node: SIGTERM, SIGKILL, SIGSTOP, SIGCONT, and start again on the same
  // data (reloading the AOF; a cluster waits for cluster_state:ok).
  absl::Status Stop();
  absl::Status Kill();
  absl::Status Pause();
  absl::Status Resume();
  absl::Status Restart();

 private:
  TestRedis() = default;

  std::unique_ptr<RedisServer> server_;
  std::unique_ptr<RedisCluster> cluster_;
};

}  // namespace homecare::testing

#endif  // HOMECARE_COMMON_TESTING_TEST_REDIS_H_
