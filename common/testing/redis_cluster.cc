#include "common/testing/redis_cluster.h"

#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <random>
#include <thread>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "common/redis/redis_connection.h"

namespace homecare::testing {
namespace {

bool PortFree(int port) {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = htons(static_cast<uint16_t>(port));
  const bool free = bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) == 0;
  close(fd);
  return free;
}

// A port whose cluster bus port (+10000) is free too; never one already handed out.
int PickPort(const std::vector<int>& taken) {
  static std::mt19937 random(std::random_device{}());
  std::uniform_int_distribution<int> pick(20000, 45000);
  for (int attempt = 0; attempt < 1000; ++attempt) {
    const int port = pick(random);
    bool clash = false;
    for (int other : taken)
      clash |= other == port || other + 10000 == port || other == port + 10000;
    if (!clash && PortFree(port) && PortFree(port + 10000)) return port;
  }
  return 0;
}

}  // namespace

absl::StatusOr<std::unique_ptr<RedisCluster>> RedisCluster::Start(Options options) {
  auto cluster = std::unique_ptr<RedisCluster>(new RedisCluster(MakeTempDir("hc-cluster")));
  const int nodes = options.masters * (1 + options.replicas_per_master);
  for (int node = 0; node < nodes; ++node) {
    const int port = PickPort(cluster->ports_);
    if (port == 0) return absl::UnavailableError("no free port pair for a cluster node");
    cluster->ports_.push_back(port);
    cluster->processes_.emplace_back();
    if (absl::Status launched = cluster->Launch(node); !launched.ok()) return launched;
  }
  std::vector<std::string> create = {"redis-cli", "--cluster", "create"};
  for (int node = 0; node < nodes; ++node) create.push_back(cluster->address(node));
  create.insert(create.end(),
                {"--cluster-replicas", absl::StrCat(options.replicas_per_master), "--cluster-yes"});
  absl::StatusOr<Subprocess> creating = Subprocess::Spawn(create, cluster->dir_ + "/create.log");
  if (!creating.ok()) return creating.status();
  absl::StatusOr<int> created = creating->Wait(absl::Seconds(60));
  if (!created.ok() || *created != 0) {
    return absl::FailedPreconditionError(absl::StrCat(
        "redis-cli --cluster create failed:\n", ReadFileOrEmpty(cluster->dir_ + "/create.log")));
  }
  if (absl::Status ok = cluster->WaitUntilOk(); !ok.ok()) return ok;
  return cluster;
}

RedisCluster::~RedisCluster() {
  for (std::optional<Subprocess>& process : processes_) {
    if (!process.has_value()) continue;
    process->Signal(SIGCONT).IgnoreError();
    process->Terminate(absl::Seconds(5)).IgnoreError();
  }
  RemoveTree(dir_);
}

std::string RedisCluster::address(int node) const {
  return absl::StrCat("127.0.0.1:", ports_[node]);
}

std::string RedisCluster::seeds() const {
  std::vector<std::string> all;
  for (int node = 0; node < size(); ++node) all.push_back(address(node));
  return absl::StrJoin(all, ",");
}

std::string RedisCluster::log(int node) const {
  return ReadFileOrEmpty(absl::StrCat(dir_, "/", node, "/redis.log"));
}

absl::Status RedisCluster::Launch(int node) {
  const std::string dir = absl::StrCat(dir_, "/", node);
  if (mkdir(dir.c_str(), 0700) != 0 && errno != EEXIST) {
    return absl::InternalError(absl::StrCat("cannot make ", dir));
  }
  const char* binary = std::getenv("HOMECARE_REDIS_SERVER");
  std::vector<std::string> argv = {
      binary != nullptr ? binary : "redis-server",
      "--bind",
      "127.0.0.1",
      "--port",
      absl::StrCat(ports_[node]),
      "--cluster-enabled",
      "yes",
      "--cluster-config-file",
      dir + "/nodes.conf",
      // Failover in about a second and a half, so that tests of it stay short.
      "--cluster-node-timeout",
      "1500",
      "--dir",
      dir,
      "--save",
      "",
      "--appendonly",
      "yes",
      "--appendfsync",
      "always",
      "--daemonize",
      "no",
      "--loglevel",
      "warning",
  };
  absl::StatusOr<Subprocess> process = Subprocess::Spawn(argv, dir + "/redis.log");
  if (!process.ok()) return process.status();
  processes_[node] = *std::move(process);
  const absl::Time deadline = absl::Now() + absl::Seconds(20);
  while (absl::Now() < deadline) {
    if (!processes_[node]->running()) {
      return absl::FailedPreconditionError(
          absl::StrCat("redis-server exited at start-up:\n", log(node)));
    }
    absl::StatusOr<RedisReply> pong = Command(node, {"PING"});
    if (pong.ok() && pong->str == "PONG") return absl::OkStatus();
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return absl::DeadlineExceededError(absl::StrCat("redis-server not ready:\n", log(node)));
}

absl::StatusOr<RedisReply> RedisCluster::Command(int node, const std::vector<std::string>& args) {
  RedisEndpoint endpoint;
  endpoint.host = "127.0.0.1";
  endpoint.port = ports_[node];
  absl::StatusOr<std::unique_ptr<RedisConnection>> connection =
      RedisConnection::Open(endpoint, absl::Seconds(1), absl::Seconds(10), "");
  if (!connection.ok()) return connection.status();
  return (*connection)->Command(args);
}

absl::Status RedisCluster::WaitUntilOk() {
  const absl::Time deadline = absl::Now() + absl::Seconds(30);
  while (absl::Now() < deadline) {
    bool all_ok = true;
    for (int node = 0; node < size() && all_ok; ++node) {
      absl::StatusOr<RedisReply> info = Command(node, {"CLUSTER", "INFO"});
      all_ok = info.ok() && absl::StrContains(info->str, "cluster_state:ok");
      // A replica counts once it has synced with its master, so that WAIT finds it.
      absl::StatusOr<RedisReply> role = Command(node, {"ROLE"});
      if (all_ok && role.ok() && !role->elements.empty() && role->elements[0].str == "slave") {
        all_ok = role->elements.size() > 3 && role->elements[3].str == "connected";
      }
    }
    if (all_ok) return absl::OkStatus();
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return absl::DeadlineExceededError("the cluster did not reach cluster_state:ok");
}

absl::StatusOr<std::string> RedisCluster::NodeId(int node) {
  absl::StatusOr<RedisReply> id = Command(node, {"CLUSTER", "MYID"});
  if (!id.ok()) return id.status();
  if (id->is_error()) return absl::InternalError(id->str);
  return id->str;
}

absl::StatusOr<int> RedisCluster::MasterOf(int slot) {
  for (int node = 0; node < size(); ++node) {
    absl::StatusOr<RedisReply> slots = Command(node, {"CLUSTER", "SLOTS"});
    if (!slots.ok() || slots->is_error()) continue;
    for (const RedisReply& range : slots->elements) {
      if (range.elements.size() < 3 || slot < range.elements[0].integer ||
          slot > range.elements[1].integer) {
        continue;
      }
      const int64_t port = range.elements[2].elements[1].integer;
      for (int candidate = 0; candidate < size(); ++candidate) {
        if (ports_[candidate] == port) return candidate;
      }
    }
  }
  return absl::NotFoundError(absl::StrCat("no node serves slot ", slot));
}

absl::Status RedisCluster::MoveSlot(int slot, int to, const std::vector<std::string>& keys,
                                    bool leave_migrating) {
  absl::StatusOr<int> from = MasterOf(slot);
  if (!from.ok()) return from.status();
  absl::StatusOr<std::string> from_id = NodeId(*from);
  absl::StatusOr<std::string> to_id = NodeId(to);
  if (!from_id.ok()) return from_id.status();
  if (!to_id.ok()) return to_id.status();
  auto check = [](absl::StatusOr<RedisReply> reply) -> absl::Status {
    if (!reply.ok()) return reply.status();
    if (reply->is_error()) return absl::InternalError(reply->str);
    return absl::OkStatus();
  };
  const std::string slot_text = absl::StrCat(slot);
  if (absl::Status s = check(Command(to, {"CLUSTER", "SETSLOT", slot_text, "IMPORTING", *from_id}));
      !s.ok()) {
    return s;
  }
  if (absl::Status s =
          check(Command(*from, {"CLUSTER", "SETSLOT", slot_text, "MIGRATING", *to_id}));
      !s.ok()) {
    return s;
  }
  std::vector<std::string> moving = keys;
  if (!leave_migrating) {
    absl::StatusOr<RedisReply> all =
        Command(*from, {"CLUSTER", "GETKEYSINSLOT", slot_text, "100000"});
    if (!all.ok()) return all.status();
    moving.clear();
    for (const RedisReply& key : all->elements) moving.push_back(key.str);
  }
  if (!moving.empty()) {
    std::vector<std::string> migrate = {"MIGRATE", "127.0.0.1", absl::StrCat(ports_[to]), "", "0",
                                        "5000",    "KEYS"};
    migrate.insert(migrate.end(), moving.begin(), moving.end());
    if (absl::Status s = check(Command(*from, migrate)); !s.ok()) return s;
  }
  if (leave_migrating) return absl::OkStatus();
  for (int node = 0; node < size(); ++node) {
    // Replicas and masters alike learn the new owner; a replica may refuse (it follows its
    // master through the bus), which is harmless.
    Command(node, {"CLUSTER", "SETSLOT", slot_text, "NODE", *to_id}).IgnoreError();
  }
  return absl::OkStatus();
}

absl::StatusOr<std::vector<int>> RedisCluster::Masters() {
  std::vector<int> masters;
  for (int node = 0; node < size(); ++node) {
    absl::StatusOr<RedisReply> role = Command(node, {"ROLE"});
    if (role.ok() && !role->elements.empty() && role->elements[0].str == "master") {
      masters.push_back(node);
    }
  }
  if (masters.empty()) return absl::UnavailableError("no master answers");
  return masters;
}

absl::Status RedisCluster::KillNode(int node) {
  std::optional<Subprocess>& process = processes_[node];
  if (!process.has_value()) return absl::OkStatus();
  if (absl::Status killed = process->Signal(SIGKILL); !killed.ok()) return killed;
  absl::StatusOr<int> waited = process->Wait(absl::Seconds(10));
  process.reset();
  return waited.status();
}

absl::Status RedisCluster::Stop() {
  absl::Status result;
  for (std::optional<Subprocess>& process : processes_) {
    if (!process.has_value()) continue;
    process->Signal(SIGCONT).IgnoreError();
    result.Update(process->Terminate(absl::Seconds(10)).status());
    process.reset();
  }
  return result;
}

absl::Status RedisCluster::Kill() {
  absl::Status result;
  for (std::optional<Subprocess>& process : processes_) {
    if (!process.has_value()) continue;
    result.Update(process->Signal(SIGKILL));
    result.Update(process->Wait(absl::Seconds(10)).status());
    process.reset();
  }
  return result;
}

absl::Status RedisCluster::Pause() {
  absl::Status result;
  for (std::optional<Subprocess>& process : processes_) {
    if (process.has_value()) result.Update(process->Signal(SIGSTOP));
  }
  return result;
}

absl::Status RedisCluster::Resume() {
  absl::Status result;
  for (std::optional<Subprocess>& process : processes_) {
    if (process.has_value()) result.Update(process->Signal(SIGCONT));
  }
  return result;
}

absl::Status RedisCluster::Restart() {
  for (int node = 0; node < size(); ++node) {
    if (processes_[node].has_value()) continue;
    if (absl::Status launched = Launch(node); !launched.ok()) return launched;
  }
  return WaitUntilOk();
}

}  // namespace homecare::testing
