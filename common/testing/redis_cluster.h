// A real Redis Cluster per test: masters and replicas as local redis-servers on free TCP ports
// (each node's cluster bus is its port + 10000), joined by redis-cli --cluster create, ready once
// every node says cluster_state:ok.
#ifndef HOMECARE_COMMON_TESTING_REDIS_CLUSTER_H_
#define HOMECARE_COMMON_TESTING_REDIS_CLUSTER_H_

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "common/redis/redis_reply.h"
#include "common/testing/subprocess.h"

namespace homecare::testing {

class RedisCluster {
 public:
  struct Options {
    int masters = 3;
    int replicas_per_master = 1;
  };

  static absl::StatusOr<std::unique_ptr<RedisCluster>> Start(Options options);
  static absl::StatusOr<std::unique_ptr<RedisCluster>> Start() { return Start(Options{}); }
  ~RedisCluster();

  int size() const { return static_cast<int>(ports_.size()); }
  // "127.0.0.1:<port>" of node `node`.
  std::string address(int node) const;
  // Every node's address, comma-separated: the seeds for --redis-cluster.
  std::string seeds() const;
  std::string log(int node) const;

  // A command to one node on a fresh connection.
  absl::StatusOr<RedisReply> Command(int node, const std::vector<std::string>& args);
  // The node serving `slot` as its master, as that node sees it.
  absl::StatusOr<int> MasterOf(int slot);
  // Moves `slot` and its keys from its master to node `to` (a master), the way
  // redis-cli --cluster reshard does: IMPORTING, MIGRATING, MIGRATE, then NODE everywhere.
  // With `leave_migrating`, stops after moving the keys given, the slot still migrating (so
  // that its source answers ASK for the keys already moved).
  absl::Status MoveSlot(int slot, int to, const std::vector<std::string>& keys = {},
                        bool leave_migrating = false);

  // The node's cluster id (CLUSTER MYID).
  absl::StatusOr<std::string> NodeId(int node);
  // The nodes serving slots now.
  absl::StatusOr<std::vector<int>> Masters();
  // kill -9 of one node, and starting it again on its port, data and nodes.conf (a master
  // that was failed over comes back as a replica of its successor).
  absl::Status KillNode(int node);
  absl::Status RestartNode(int node) { return Launch(node); }
  // Every node at once: SIGTERM (Stop), SIGKILL (Kill), SIGSTOP and SIGCONT (Pause, Resume).
  absl::Status Stop();
  absl::Status Kill();
  absl::Status Pause();
  absl::Status Resume();
  // Starts every stopped node again on its port, data and nodes.conf, and waits for
  // cluster_state:ok.
  absl::Status Restart();

 private:
  explicit RedisCluster(std::string dir) : dir_(std::move(dir)) {}
  absl::Status Launch(int node);
  absl::Status WaitUntilOk();

  std::string dir_;
  std::vector<int> ports_;
  std::vector<std::optional<Subprocess>> processes_;
};

}  // namespace homecare::testing

#endif  // HOMECARE_COMMON_TESTING_REDIS_CLUSTER_H_
