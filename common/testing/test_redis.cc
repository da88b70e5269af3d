#include "common/testing/test_redis.h"

#include <cstdlib>
#include <string_view>

#include "absl/strings/str_cat.h"
#include "common/redis/cluster_slots.h"

namespace homecare::testing {

bool ClusterTestStack() {
  const char* stack = std::getenv("HOMECARE_TEST_STACK");
  return stack != nullptr && std::string_view(stack) == "cluster";
}

absl::StatusOr<std::unique_ptr<TestRedis>> TestRedis::Start() {
  return Start(ClusterTestStack() ? Kind::kCluster : Kind::kSingle);
}

absl::StatusOr<std::unique_ptr<TestRedis>> TestRedis::Start(Kind kind) {
  auto redis = std::unique_ptr<TestRedis>(new TestRedis());
  if (kind == Kind::kCluster) {
    absl::StatusOr<std::unique_ptr<RedisCluster>> cluster =
        RedisCluster::Start({.masters = 3, .replicas_per_master = 1});
    if (!cluster.ok()) return cluster.status();
    redis->cluster_ = *std::move(cluster);
  } else {
    absl::StatusOr<std::unique_ptr<RedisServer>> server = RedisServer::Start();
    if (!server.ok()) return server.status();
    redis->server_ = *std::move(server);
  }
  return redis;
}

TestRedis::~TestRedis() = default;

std::vector<std::string> TestRedis::ServiceArgs() const {
  if (cluster_ != nullptr) return {"--redis-cluster", cluster_->seeds()};
  return {"--redis", server_->address()};
}

RedisOptions TestRedis::ClientOptions() const {
  RedisOptions options;
  if (cluster_ != nullptr) {
    options.cluster_seeds = {cluster_->address(0)};
  } else {
    options.address = server_->address();
  }
  return options;
}

std::string TestRedis::log() const {
  if (server_ != nullptr) return server_->log();
  std::string all;
  for (int node = 0; node < cluster_->size(); ++node) {
    absl::StrAppend(&all, "--- node ", node, " (", cluster_->address(node), ")\n",
                    cluster_->log(node));
  }
  return all;
}

absl::StatusOr<RedisReply> TestRedis::Command(const std::vector<std::string>& args) {
  if (server_ != nullptr) return server_->Command(args);
  if (RoutingKey(args).has_value()) {
    absl::StatusOr<std::unique_ptr<RedisClient>> client = RedisClient::Create(ClientOptions());
    if (!client.ok()) return client.status();
    // Through the cluster client, but with the error reply as a reply, as a connection gives it.
    absl::StatusOr<std::vector<RedisReply>> replies = (*client)->Pipeline({args});
    if (!replies.ok()) return replies.status();
    return std::move(replies->front());
  }
  absl::StatusOr<std::vector<int>> masters = cluster_->Masters();
  if (!masters.ok()) return masters.status();
  RedisReply merged;
  for (int master : *masters) {
    absl::StatusOr<RedisReply> reply = cluster_->Command(master, args);
    if (!reply.ok() || reply->is_error()) return reply;
    if (reply->type == RedisReply::Type::kArray) {
      merged.type = RedisReply::Type::kArray;
      for (RedisReply& element : reply->elements) merged.elements.push_back(std::move(element));
    } else if (reply->type == RedisReply::Type::kInteger) {
      merged.type = RedisReply::Type::kInteger;
      merged.integer += reply->integer;
    } else {
      merged = *std::move(reply);
    }
  }
  return merged;
}

absl::Status TestRedis::Stop() { return server_ ? server_->Stop() : cluster_->Stop(); }
absl::Status TestRedis::Kill() { return server_ ? server_->Kill() : cluster_->Kill(); }
absl::Status TestRedis::Pause() { return server_ ? server_->Pause() : cluster_->Pause(); }
absl::Status TestRedis::Resume() { return server_ ? server_->Resume() : cluster_->Resume(); }
absl::Status TestRedis::Restart() { return server_ ? server_->Restart() : cluster_->Restart(); }

}  // namespace homecare::testing
