#include "common/redis/redis_client.h"

#include <signal.h>

#include <algorithm>
#include <map>
#include <mutex>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/redis/cluster_slots.h"
#include "common/status/errors.h"

namespace homecare {
namespace {

// Whether a command may change data, so that a write acknowledged to the caller has waited for
// the replicas asked for (RedisOptions::min_replicas_acked). A script may write.
bool MayWrite(const std::string& name) {
  static constexpr const char* kReadOnly[] = {"GET",
                                              "MGET",
                                              "EXISTS",
                                              "TTL",
                                              "PTTL",
                                              "TYPE",
                                              "STRLEN",
                                              "HGET",
                                              "HGETALL",
                                              "HMGET",
                                              "HLEN",
                                              "HEXISTS",
                                              "SMEMBERS",
                                              "SCARD",
                                              "SISMEMBER",
                                              "ZRANGE",
                                              "ZREVRANGE",
                                              "ZRANGEBYSCORE",
                                              "ZREVRANGEBYSCORE",
                                              "ZSCORE",
                                              "ZCARD",
                                              "ZCOUNT",
                                              "ZRANK",
                                              "ZMSCORE",
                                              "LRANGE",
                                              "LLEN",
                                              "XRANGE",
                                              "XREVRANGE",
                                              "XREAD",
                                              "XLEN",
                                              "XINFO",
                                              "KEYS",
                                              "SCAN",
                                              "PING",
                                              "CLUSTER",
                                              "INFO",
                                              "SCRIPT",
                                              "ROLE",
                                              "DBSIZE",
                                              "TIME",
                                              "ECHO",
                                              "ASKING",
                                              "WAIT",
                                              "EVALSHA_RO",
                                              "EVAL_RO"};
  const std::string upper = absl::AsciiStrToUpper(name);
  for (const char* read_only : kReadOnly) {
    if (upper == read_only) return false;
  }
  return true;
}

std::vector<std::vector<std::string>> WithWait(
    const std::vector<std::vector<std::string>>& commands, int replicas, absl::Duration timeout) {
  std::vector<std::vector<std::string>> waited = commands;
  waited.push_back({"WAIT", absl::StrCat(replicas),
                    absl::StrCat(std::max<int64_t>(1, absl::ToInt64Milliseconds(timeout)))});
  return waited;
}

constexpr absl::string_view kErrorDomain = "homecare.redis";

absl::Status Unavailable(absl::Status status) {
  return WithErrorInfo(std::move(status), "REDIS_UNAVAILABLE", kErrorDomain);
}

// An error reply that says Redis is there but cannot serve right now.
bool IsTransientErrorReply(const RedisReply& reply) {
  for (absl::string_view prefix :
       {"LOADING", "BUSY", "READONLY", "MASTERDOWN", "TRYAGAIN", "CLUSTERDOWN"}) {
    if (absl::StartsWith(reply.str, prefix)) return true;
  }
  return false;
}

}  // namespace

absl::Status ErrorReplyToStatus(const RedisReply& reply) {
  if (IsTransientErrorReply(reply)) {
    return Unavailable(absl::UnavailableError(absl::StrCat("redis: ", reply.str)));
  }
  if (absl::StartsWith(reply.str, "OOM")) {
    return absl::ResourceExhaustedError(absl::StrCat("redis: ", reply.str));
  }
  return absl::InternalError(absl::StrCat("redis: ", reply.str));
}

struct RedisClient::Cluster {
  std::vector<RedisEndpoint> seeds;
  std::mutex mutex;
  // Node clients by address, made on first use and kept (a node that leaves costs one idle
  // pool).
  std::map<std::string, std::unique_ptr<RedisClient>> nodes;
  std::vector<RedisClient*> owner = std::vector<RedisClient*>(kClusterSlots, nullptr);
  std::vector<RedisClient*> masters;
  absl::Time refreshed = absl::InfinitePast();
  // Which node a refresh after a failed call asks, in turn, so that a stalled one is not asked
  // every time.
  size_t next_to_ask = 0;
};

absl::StatusOr<std::unique_ptr<RedisClient>> RedisClient::Create(RedisOptions options,
                                                                 const Clock* clock) {
  // hiredis writes with write(2): a Redis that died would otherwise kill this process with
  // SIGPIPE instead of failing one call with EPIPE.
  static std::once_flag ignore_sigpipe;
  std::call_once(ignore_sigpipe, [] { signal(SIGPIPE, SIG_IGN); });
  if (options.pool_size < 1) return absl::InvalidArgumentError("redis pool size must be >= 1");
  if (options.min_replicas_acked < 0) {
    return absl::InvalidArgumentError("redis min replicas acked must be >= 0");
  }
  if (options.cluster_seeds.empty()) {
    absl::StatusOr<RedisEndpoint> endpoint = RedisEndpoint::Parse(options.address);
    if (!endpoint.ok()) return endpoint.status();
    return std::unique_ptr<RedisClient>(new RedisClient(std::move(options), *endpoint, clock));
  }
  auto cluster = std::make_unique<Cluster>();
  for (const std::string& seed : options.cluster_seeds) {
    absl::StatusOr<RedisEndpoint> endpoint = RedisEndpoint::Parse(seed);
    if (!endpoint.ok()) return endpoint.status();
    if (!endpoint->unix_path.empty()) {
      return absl::InvalidArgumentError(
          absl::StrCat("redis cluster seed \"", seed, "\": cluster nodes are host:port"));
    }
    cluster->seeds.push_back(*std::move(endpoint));
  }
  const RedisEndpoint first = cluster->seeds.front();
  auto client = std::unique_ptr<RedisClient>(new RedisClient(std::move(options), first, clock));
  client->cluster_ = std::move(cluster);
  return client;
}

RedisClient::~RedisClient() = default;

RedisClient* RedisClient::NodeLocked(const RedisEndpoint& endpoint) {
  std::unique_ptr<RedisClient>& node = cluster_->nodes[endpoint.ToString()];
  if (node == nullptr) {
    RedisOptions options = options_;
    options.cluster_seeds.clear();
    options.address = endpoint.ToString();
    node.reset(new RedisClient(std::move(options), endpoint, clock_));
  }
  return node.get();
}

absl::Status RedisClient::RefreshSlots(bool force, const RedisClient* failed) {
  std::vector<RedisClient*> ask;
  {
    std::lock_guard<std::mutex> lock(cluster_->mutex);
    const absl::Time now = absl::Now();
    if (!force && !cluster_->masters.empty() &&
        now - cluster_->refreshed < absl::Milliseconds(100)) {
      return absl::OkStatus();
    }
    cluster_->refreshed = now;
    auto add = [&ask, failed](RedisClient* node) {
      if (node != failed && std::find(ask.begin(), ask.end(), node) == ask.end()) {
        ask.push_back(node);
      }
    };
    for (RedisClient* master : cluster_->masters) add(master);
    for (const RedisEndpoint& seed : cluster_->seeds) add(NodeLocked(seed));
    if (failed != nullptr && ask.size() > 1) {
      RedisClient* next = ask[cluster_->next_to_ask++ % ask.size()];
      ask = {next};
    }
  }
  absl::Status last = absl::UnavailableError("no redis cluster node to ask for its slots");
  for (RedisClient* node : ask) {
    absl::StatusOr<RedisReply> reply = node->Command({"CLUSTER", "SLOTS"});
    absl::StatusOr<std::vector<SlotRange>> ranges =
        reply.ok() ? ParseClusterSlots(*reply) : reply.status();
    if (!ranges.ok()) {
      last = ranges.status();
      continue;
    }
    std::lock_guard<std::mutex> lock(cluster_->mutex);
    std::vector<RedisClient*> owner(kClusterSlots, nullptr);
    std::vector<RedisClient*> masters;
    for (SlotRange& range : *ranges) {
      // A node that does not know its own name leaves it empty: the host it was reached by.
      if (range.master.host.empty()) range.master.host = node->endpoint().host;
      RedisClient* master = NodeLocked(range.master);
      if (std::find(masters.begin(), masters.end(), master) == masters.end()) {
        masters.push_back(master);
      }
      std::fill(owner.begin() + range.first, owner.begin() + range.last + 1, master);
    }
    if (masters.empty()) {
      last = absl::UnavailableError("the redis cluster serves no slots yet");
      continue;
    }
    cluster_->owner = std::move(owner);
    cluster_->masters = std::move(masters);
    return absl::OkStatus();
  }
  return Unavailable(last);
}

absl::StatusOr<RedisClient*> RedisClient::NodeFor(const std::optional<std::string>& key) {
  bool known = false;
  {
    std::lock_guard<std::mutex> lock(cluster_->mutex);
    known = !cluster_->masters.empty();
  }
  if (!known) {
    if (absl::Status refreshed = RefreshSlots(/*force=*/true); !refreshed.ok()) return refreshed;
  }
  std::lock_guard<std::mutex> lock(cluster_->mutex);
  if (!key.has_value()) return cluster_->masters.front();
  RedisClient* node = cluster_->owner[KeySlot(*key)];
  if (node == nullptr) {
    return absl::UnavailableError(
        absl::StrCat("no redis cluster node serves slot ", KeySlot(*key), " now"));
  }
  return node;
}

absl::StatusOr<std::vector<RedisReply>> RedisClient::ClusterPipeline(
    const std::vector<std::vector<std::string>>& commands) {
  std::vector<RedisReply> replies(commands.size());
  // Where each command still to be answered goes: a redirected one to the node named, with
  // ASKING when the slot is being migrated; the others to whoever serves their key.
  struct Pending {
    size_t index;
    RedisClient* redirected_to = nullptr;
    bool asking = false;
  };
  std::vector<Pending> pending;
  for (size_t i = 0; i < commands.size(); ++i) pending.push_back({i});
  constexpr int kMaxAttempts = 6;
  for (int attempt = 0; attempt < kMaxAttempts && !pending.empty(); ++attempt) {
    // A keyless command (SCRIPT LOAD) travels with the next command that has a key.
    std::vector<RedisClient*> target(pending.size(), nullptr);
    RedisClient* next = nullptr;
    for (size_t p = pending.size(); p-- > 0;) {
      if (pending[p].redirected_to != nullptr) {
        next = pending[p].redirected_to;
      } else if (std::optional<std::string> key = RoutingKey(commands[pending[p].index])) {
        absl::StatusOr<RedisClient*> node = NodeFor(key);
        if (!node.ok()) return node.status();
        next = *node;
      }
      target[p] = next;
    }
    for (size_t p = 0; p < pending.size(); ++p) {
      if (target[p] != nullptr) continue;
      absl::StatusOr<RedisClient*> any = NodeFor(std::nullopt);
      if (!any.ok()) return any.status();
      target[p] = *any;
    }
    std::vector<Pending> again;
    bool moved = false;
    bool try_again = false;
    std::vector<bool> sent(pending.size(), false);
    for (size_t first = 0; first < pending.size(); ++first) {
      if (sent[first]) continue;
      RedisClient* node = target[first];
      std::vector<std::vector<std::string>> batch;
      std::vector<size_t> members;      // pending positions in this batch
      std::vector<size_t> reply_index;  // their replies' places in the batch's replies
      for (size_t p = first; p < pending.size(); ++p) {
        if (sent[p] || target[p] != node) continue;
        sent[p] = true;
        if (pending[p].asking) batch.push_back({"ASKING"});
        reply_index.push_back(batch.size());
        batch.push_back(commands[pending[p].index]);
        members.push_back(p);
      }
      absl::StatusOr<std::vector<RedisReply>> answered = node->Pipeline(batch);
      if (!answered.ok()) {
        // The node may have failed over: learn the new master for the caller's retry.
        if (absl::IsUnavailable(answered.status())) {
          RefreshSlots(/*force=*/false, /*failed=*/node).IgnoreError();
        }
        return answered.status();
      }
      for (size_t m = 0; m < members.size(); ++m) {
        RedisReply& reply = (*answered)[reply_index[m]];
        const Pending& was = pending[members[m]];
        if (std::optional<Redirect> redirect = ParseRedirect(reply)) {
          if (redirect->to.host.empty()) redirect->to.host = node->endpoint().host;
          std::lock_guard<std::mutex> lock(cluster_->mutex);
          again.push_back({was.index, NodeLocked(redirect->to), redirect->ask});
          moved |= !redirect->ask;
        } else if (reply.is_error() && absl::StartsWith(reply.str, "TRYAGAIN")) {
          // A multi-key command while its slot migrates: the same node, shortly.
          again.push_back(was);
          try_again = true;
        } else {
          replies[was.index] = std::move(reply);
        }
      }
    }
    if (moved) RefreshSlots(/*force=*/true).IgnoreError();
    if (try_again) absl::SleepFor(absl::Milliseconds(20 * (attempt + 1)));
    pending = std::move(again);
  }
  if (!pending.empty()) {
    return absl::UnavailableError(
        absl::StrCat("redis cluster: still redirected after ", kMaxAttempts, " attempts"));
  }
  return replies;
}

RedisClient::RedisClient(RedisOptions options, RedisEndpoint endpoint, const Clock* clock)
    : options_(std::move(options)),
      endpoint_(std::move(endpoint)),
      clock_(clock),
      breaker_(options_.breaker, clock),
      calls_(DefaultMetrics()
                 .AddCounter("homecare_redis_calls_total",
                             "Redis calls (a command, a pipeline or a script run), by node.",
                             {"node"})
                 .WithLabels({endpoint_.ToString()})),
      call_errors_(DefaultMetrics().AddCounter(
          "homecare_redis_call_errors_total",
          "Redis calls that failed, by node and why: unavailable (connect, timeout, a transient "
          "error reply), breaker_open (refused without trying), pool_exhausted (no connection "
          "free in time).",
          {"node", "reason"})),
      breaker_state_(DefaultMetrics()
                         .AddGauge("homecare_redis_breaker_state",
                                   "The Redis circuit breaker by node: 0 closed, 1 open, 2 half "
                                   "open (one trial call).",
                                   {"node"})
                         .WithLabels({endpoint_.ToString()})) {}

void RedisClient::RecordBreakerState() {
  switch (breaker_.state()) {
    case CircuitBreaker::State::kClosed:
      breaker_state_.Set(0);
      break;
    case CircuitBreaker::State::kOpen:
      breaker_state_.Set(1);
      break;
    case CircuitBreaker::State::kHalfOpen:
      breaker_state_.Set(2);
      break;
  }
}

absl::StatusOr<std::unique_ptr<RedisConnection>> RedisClient::Acquire() {
  {
    std::unique_lock<std::mutex> lock(mutex_);
    bool ready = returned_.wait_for(
        lock, absl::ToChronoNanoseconds(options_.pool_wait_timeout),
        [this] { return !idle_.empty() || open_connections_ < options_.pool_size; });
    if (!ready) {
      // Local overload, not a sign of Redis' health: shed the call.
      return absl::ResourceExhaustedError(
          absl::StrCat("all ", options_.pool_size, " redis connections stayed busy for ",
                       absl::FormatDuration(options_.pool_wait_timeout)));
    }
    if (!idle_.empty()) {
      std::unique_ptr<RedisConnection> connection = std::move(idle_.back());
      idle_.pop_back();
      return connection;
    }
    ++open_connections_;  // reserve the slot; connect outside the lock
  }
  absl::StatusOr<std::unique_ptr<RedisConnection>> connection = RedisConnection::Open(
      endpoint_, options_.connect_timeout, options_.command_timeout, options_.password);
  if (!connection.ok()) {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      --open_connections_;
    }
    returned_.notify_one();
  }
  return connection;
}

void RedisClient::Release(std::unique_ptr<RedisConnection> connection) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (connection->broken()) {
      // The server went away or stalled: the idle connections talk to the same server and
      // would each fail one more request, so they go too.
      open_connections_ -= 1 + static_cast<int>(idle_.size());
      idle_.clear();
    } else {
      idle_.push_back(std::move(connection));
    }
  }
  returned_.notify_all();
}

absl::StatusOr<RedisReply> RedisClient::WithConnection(
    absl::FunctionRef<absl::StatusOr<RedisReply>(RedisConnection&)> call) {
  calls_.Increment();
  CircuitBreaker::Permit permit = breaker_.Allow();
  if (!permit) {
    call_errors_.WithLabels({endpoint_.ToString(), "breaker_open"}).Increment();
    RecordBreakerState();
    return Unavailable(absl::UnavailableError(absl::StrCat(
        "redis circuit breaker open after ", breaker_.consecutive_failures(),
        " failures in a row; next attempt in ",
        absl::FormatDuration(absl::Trunc(breaker_.RemainingOpen(), absl::Milliseconds(1))))));
  }
  absl::StatusOr<std::unique_ptr<RedisConnection>> connection = Acquire();
  if (!connection.ok()) {
    // A failed connect counts against Redis; a full pool (RESOURCE_EXHAUSTED) or a refused
    // AUTH does not.
    if (absl::IsUnavailable(connection.status())) {
      permit.Failed();
      call_errors_.WithLabels({endpoint_.ToString(), "unavailable"}).Increment();
      RecordBreakerState();
      return Unavailable(connection.status());
    }
    if (absl::IsResourceExhausted(connection.status())) {
      call_errors_.WithLabels({endpoint_.ToString(), "pool_exhausted"}).Increment();
    }
    return connection.status();
  }
  absl::StatusOr<RedisReply> reply = call(**connection);
  bool failed = !reply.ok() && absl::IsUnavailable(reply.status());
  if (reply.ok() && reply->is_error() && IsTransientErrorReply(*reply)) failed = true;
  if (failed) {
    permit.Failed();
    call_errors_.WithLabels({endpoint_.ToString(), "unavailable"}).Increment();
  } else {
    permit.Succeeded();
  }
  RecordBreakerState();
  Release(*std::move(connection));
  if (!reply.ok()) return Unavailable(reply.status());
  return reply;
}

absl::StatusOr<RedisReply> RedisClient::Command(const std::vector<std::string>& args) {
  if (cluster_ != nullptr ||
      (options_.min_replicas_acked > 0 && !args.empty() && MayWrite(args.front()))) {
    absl::StatusOr<std::vector<RedisReply>> replies = Pipeline({args});
    if (!replies.ok()) return replies.status();
    RedisReply reply = std::move(replies->front());
    if (reply.is_error()) return ErrorReplyToStatus(reply);
    return reply;
  }
  absl::StatusOr<RedisReply> reply =
      WithConnection([&](RedisConnection& connection) { return connection.Command(args); });
  if (reply.ok() && reply->is_error()) return ErrorReplyToStatus(*reply);
  return reply;
}

absl::StatusOr<std::vector<RedisReply>> RedisClient::Pipeline(
    const std::vector<std::vector<std::string>>& commands) {
  if (commands.empty()) return std::vector<RedisReply>();
  if (cluster_ != nullptr) return ClusterPipeline(commands);
  // WAIT goes on the same connection, after the writes: it counts the replicas that have this
  // connection's last write.
  const bool wait = options_.min_replicas_acked > 0 &&
                    std::any_of(commands.begin(), commands.end(), [](const auto& command) {
                      return !command.empty() && MayWrite(command.front());
                    });
  const absl::Duration wait_timeout = options_.command_timeout / 2;
  absl::StatusOr<RedisReply> wrapped =
      WithConnection([&](RedisConnection& connection) -> absl::StatusOr<RedisReply> {
        absl::StatusOr<std::vector<RedisReply>> replies =
            wait
                ? connection.Pipeline(WithWait(commands, options_.min_replicas_acked, wait_timeout))
                : connection.Pipeline(commands);
        if (!replies.ok()) return replies.status();
        RedisReply array;
        array.type = RedisReply::Type::kArray;
        array.elements = *std::move(replies);
        return array;
      });
  if (!wrapped.ok()) return wrapped.status();
  if (wait) {
    const RedisReply acked = std::move(wrapped->elements.back());
    wrapped->elements.pop_back();
    if (acked.type != RedisReply::Type::kInteger || acked.integer < options_.min_replicas_acked) {
      return absl::UnavailableError(absl::StrCat(
          "written on redis ", endpoint_.ToString(), " but ",
          acked.type == RedisReply::Type::kInteger ? absl::StrCat(acked.integer) : acked.str,
          " of the ", options_.min_replicas_acked, " replicas asked for acknowledged it within ",
          absl::FormatDuration(wait_timeout), "; retry"));
    }
  }
  return std::move(wrapped->elements);
}

absl::StatusOr<RedisReply> RedisClient::RunScript(const LuaScript& script,
                                                  const std::vector<std::string>& keys,
                                                  const std::vector<std::string>& args) {
  absl::StatusOr<std::vector<RedisReply>> replies = RunScriptPipeline(script, {{keys, args}});
  if (!replies.ok()) return replies.status();
  RedisReply reply = std::move(replies->front());
  if (reply.is_error()) {
    absl::Status status = ErrorReplyToStatus(reply);
    return absl::Status(status.code(),
                        absl::StrCat("script ", script.name(), ": ", status.message()));
  }
  return reply;
}

absl::StatusOr<std::vector<RedisReply>> RedisClient::RunScriptPipeline(
    const LuaScript& script, const std::vector<ScriptCall>& calls) {
  std::vector<std::vector<std::string>> commands;
  commands.reserve(calls.size());
  for (const ScriptCall& call : calls) {
    if (!script.TakesKeys(call.keys.size())) {
      return absl::InternalError(absl::StrCat("script ", script.name(), " takes ",
                                              script.num_keys(), " keys, given ",
                                              call.keys.size()));
    }
    // Refused here on a single Redis too, so that a script reaching outside its tenant's hash
    // tag fails every test that runs it, not only those run on a cluster.
    const int slot = call.keys.empty() ? 0 : KeySlot(call.keys.front());
    for (const std::string& key : call.keys) {
      if (KeySlot(key) != slot) {
        return absl::InternalError(absl::StrCat(
            "script ", script.name(), " given keys of more than one slot (", call.keys.front(),
            ", ", key, "): every key of a script must be in one tenant's hash tag"));
      }
    }
    std::vector<std::string>& evalsha = commands.emplace_back();
    evalsha.reserve(3 + call.keys.size() + call.args.size());
    evalsha = {"EVALSHA", script.sha1(), absl::StrCat(call.keys.size())};
    evalsha.insert(evalsha.end(), call.keys.begin(), call.keys.end());
    evalsha.insert(evalsha.end(), call.args.begin(), call.args.end());
  }
  absl::StatusOr<std::vector<RedisReply>> replies = Pipeline(commands);
  if (!replies.ok()) return replies;
  std::vector<std::vector<std::string>> again;
  std::vector<size_t> again_index;
  for (size_t i = 0; i < replies->size(); ++i) {
    const RedisReply& reply = (*replies)[i];
    if (reply.is_error() && absl::StartsWith(reply.str, "NOSCRIPT")) {
      again.push_back(commands[i]);
      again_index.push_back(i);
    }
  }
  if (again.empty()) return replies;
  // One SCRIPT LOAD first; on a cluster one before each call, as the calls may be on several
  // nodes (a keyless command travels with the next one that has a key).
  std::vector<std::vector<std::string>> retry;
  std::vector<size_t> retry_reply;
  for (size_t i = 0; i < again.size(); ++i) {
    if (i == 0 || cluster_ != nullptr) retry.push_back({"SCRIPT", "LOAD", script.source()});
    retry_reply.push_back(retry.size());
    retry.push_back(std::move(again[i]));
  }
  absl::StatusOr<std::vector<RedisReply>> retried = Pipeline(retry);
  if (!retried.ok()) return retried.status();
  for (size_t i = 0; i < again_index.size(); ++i) {
    (*replies)[again_index[i]] = std::move((*retried)[retry_reply[i]]);
  }
  return replies;
}

absl::Status RedisClient::LoadScripts(const std::vector<const LuaScript*>& scripts) {
  if (cluster_ != nullptr) {
    // Every master; a node that becomes one later loads them on demand (NOSCRIPT).
    if (absl::Status refreshed = RefreshSlots(/*force=*/true); !refreshed.ok()) return refreshed;
    std::vector<RedisClient*> masters;
    {
      std::lock_guard<std::mutex> lock(cluster_->mutex);
      masters = cluster_->masters;
    }
    for (RedisClient* master : masters) {
      if (absl::Status loaded = master->LoadScripts(scripts); !loaded.ok()) return loaded;
    }
    return absl::OkStatus();
  }
  std::vector<std::vector<std::string>> commands;
  for (const LuaScript* script : scripts) {
    commands.push_back({"SCRIPT", "LOAD", script->source()});
  }
  absl::StatusOr<std::vector<RedisReply>> replies = Pipeline(commands);
  if (!replies.ok()) return replies.status();
  for (size_t i = 0; i < replies->size(); ++i) {
    const RedisReply& reply = (*replies)[i];
    if (reply.is_error()) {
      return absl::InternalError(
          absl::StrCat("script ", scripts[i]->name(), " does not load: ", reply.str));
    }
    if (reply.str != scripts[i]->sha1()) {
      return absl::InternalError(
          absl::StrCat("script ", scripts[i]->name(), ": redis computed SHA1 ", reply.str));
    }
  }
  return absl::OkStatus();
}

absl::Status RedisClient::Ping() {
  if (cluster_ != nullptr) {
    // Ready when every master answers; the slot map is refreshed on the way, so that a
    // failover is learnt within one readiness interval.
    if (absl::Status refreshed = RefreshSlots(/*force=*/false); !refreshed.ok()) return refreshed;
    std::vector<RedisClient*> masters;
    {
      std::lock_guard<std::mutex> lock(cluster_->mutex);
      masters = cluster_->masters;
    }
    for (RedisClient* master : masters) {
      if (absl::Status pong = master->Ping(); !pong.ok()) {
        return absl::Status(pong.code(),
                            absl::StrCat("redis cluster node ", master->endpoint().ToString(), ": ",
                                         pong.message()));
      }
    }
    return absl::OkStatus();
  }
  absl::StatusOr<RedisReply> reply = Command({"PING"});
  if (!reply.ok()) return reply.status();
  if (reply->str != "PONG") return absl::InternalError("redis answered PING with " + reply->str);
  return absl::OkStatus();
}

absl::StatusOr<std::unique_ptr<RedisConnection>> RedisClient::OpenDedicated(
    absl::Duration command_timeout, absl::string_view key) {
  if (cluster_ != nullptr) {
    absl::StatusOr<RedisClient*> node =
        NodeFor(key.empty() ? std::nullopt : std::optional<std::string>(key));
    if (!node.ok()) return node.status();
    return (*node)->OpenDedicated(command_timeout);
  }
  absl::StatusOr<std::unique_ptr<RedisConnection>> connection = RedisConnection::Open(
      endpoint_, options_.connect_timeout, command_timeout, options_.password);
  if (!connection.ok()) return Unavailable(connection.status());
  return connection;
}

}  // namespace homecare
