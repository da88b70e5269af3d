#include "common/redis/redis_client.h"

#include <signal.h>

#include <mutex>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/status/errors.h"

namespace homecare {
namespace {

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

absl::StatusOr<std::unique_ptr<RedisClient>> RedisClient::Create(RedisOptions options,
                                                                 const Clock* clock) {
  // hiredis writes with write(2): a Redis that died would otherwise kill this process with
  // SIGPIPE instead of failing one call with EPIPE.
  static std::once_flag ignore_sigpipe;
  std::call_once(ignore_sigpipe, [] { signal(SIGPIPE, SIG_IGN); });
  absl::StatusOr<RedisEndpoint> endpoint = RedisEndpoint::Parse(options.address);
  if (!endpoint.ok()) return endpoint.status();
  if (options.pool_size < 1) return absl::InvalidArgumentError("redis pool size must be >= 1");
  return std::unique_ptr<RedisClient>(new RedisClient(std::move(options), *endpoint, clock));
}

RedisClient::RedisClient(RedisOptions options, RedisEndpoint endpoint, const Clock* clock)
    : options_(std::move(options)),
      endpoint_(std::move(endpoint)),
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
  absl::StatusOr<RedisReply> reply =
      WithConnection([&](RedisConnection& connection) { return connection.Command(args); });
  if (reply.ok() && reply->is_error()) return ErrorReplyToStatus(*reply);
  return reply;
}

absl::StatusOr<std::vector<RedisReply>> RedisClient::Pipeline(
    const std::vector<std::vector<std::string>>& commands) {
  if (commands.empty()) return std::vector<RedisReply>();
  absl::StatusOr<RedisReply> wrapped =
      WithConnection([&](RedisConnection& connection) -> absl::StatusOr<RedisReply> {
        absl::StatusOr<std::vector<RedisReply>> replies = connection.Pipeline(commands);
        if (!replies.ok()) return replies.status();
        RedisReply array;
        array.type = RedisReply::Type::kArray;
        array.elements = *std::move(replies);
        return array;
      });
  if (!wrapped.ok()) return wrapped.status();
  return std::move(wrapped->elements);
}

absl::StatusOr<RedisReply> RedisClient::RunScript(const LuaScript& script,
                                                  const std::vector<std::string>& keys,
                                                  const std::vector<std::string>& args) {
  if (!script.TakesKeys(keys.size())) {
    return absl::InternalError(absl::StrCat("script ", script.name(), " takes ", script.num_keys(),
                                            " keys, given ", keys.size()));
  }
  std::vector<std::string> evalsha = {"EVALSHA", script.sha1(), absl::StrCat(keys.size())};
  evalsha.insert(evalsha.end(), keys.begin(), keys.end());
  evalsha.insert(evalsha.end(), args.begin(), args.end());
  absl::StatusOr<RedisReply> reply =
      WithConnection([&](RedisConnection& connection) -> absl::StatusOr<RedisReply> {
        absl::StatusOr<RedisReply> first = connection.Command(evalsha);
        if (!first.ok() || !first->is_error() || !absl::StartsWith(first->str, "NOSCRIPT")) {
          return first;
        }
        absl::StatusOr<RedisReply> loaded = connection.Command({"SCRIPT", "LOAD", script.source()});
        if (!loaded.ok()) return loaded;
        if (loaded->is_error()) return loaded;
        return connection.Command(evalsha);
      });
  if (reply.ok() && reply->is_error()) {
    absl::Status status = ErrorReplyToStatus(*reply);
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
  again.insert(again.begin(), {"SCRIPT", "LOAD", script.source()});
  absl::StatusOr<std::vector<RedisReply>> retried = Pipeline(again);
  if (!retried.ok()) return retried.status();
  for (size_t i = 0; i < again_index.size(); ++i) {
    (*replies)[again_index[i]] = std::move((*retried)[i + 1]);
  }
  return replies;
}

absl::Status RedisClient::LoadScripts(const std::vector<const LuaScript*>& scripts) {
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
  absl::StatusOr<RedisReply> reply = Command({"PING"});
  if (!reply.ok()) return reply.status();
  if (reply->str != "PONG") return absl::InternalError("redis answered PING with " + reply->str);
  return absl::OkStatus();
}

absl::StatusOr<std::unique_ptr<RedisConnection>> RedisClient::OpenDedicated(
    absl::Duration command_timeout) {
  absl::StatusOr<std::unique_ptr<RedisConnection>> connection = RedisConnection::Open(
      endpoint_, options_.connect_timeout, command_timeout, options_.password);
  if (!connection.ok()) return Unavailable(connection.status());
  return connection;
}

}  // namespace homecare
