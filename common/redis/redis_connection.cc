#include "common/redis/redis_connection.h"

#include <hiredis/hiredis.h>
#include <sys/time.h>

#include <cerrno>
#include <cstring>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"

namespace homecare {
namespace {

RedisReply Convert(const redisReply* reply) {
  RedisReply out;
  switch (reply->type) {
    case REDIS_REPLY_STRING:
      out.type = RedisReply::Type::kString;
      out.str.assign(reply->str, reply->len);
      break;
    case REDIS_REPLY_STATUS:
      out.type = RedisReply::Type::kStatus;
      out.str.assign(reply->str, reply->len);
      break;
    case REDIS_REPLY_ERROR:
      out.type = RedisReply::Type::kError;
      out.str.assign(reply->str, reply->len);
      break;
    case REDIS_REPLY_INTEGER:
      out.type = RedisReply::Type::kInteger;
      out.integer = reply->integer;
      break;
    case REDIS_REPLY_ARRAY:
      out.type = RedisReply::Type::kArray;
      out.elements.reserve(reply->elements);
      for (size_t i = 0; i < reply->elements; ++i) {
        out.elements.push_back(Convert(reply->element[i]));
      }
      break;
    default:
      out.type = RedisReply::Type::kNil;
  }
  return out;
}

}  // namespace

absl::StatusOr<RedisEndpoint> RedisEndpoint::Parse(absl::string_view address) {
  RedisEndpoint endpoint;
  absl::string_view rest = address;
  if (absl::ConsumePrefix(&rest, "unix://") || absl::ConsumePrefix(&rest, "unix:") ||
      absl::StartsWith(rest, "/")) {
    if (rest.empty() || rest[0] != '/') {
      return absl::InvalidArgumentError(
          absl::StrCat("redis address \"", address, "\": a unix socket needs an absolute path"));
    }
    endpoint.unix_path = std::string(rest);
    return endpoint;
  }
  if (!absl::ConsumePrefix(&rest, "tcp://")) absl::ConsumePrefix(&rest, "redis://");
  size_t colon = rest.rfind(':');
  int port = 0;
  if (colon == absl::string_view::npos || colon == 0 ||
      !absl::SimpleAtoi(rest.substr(colon + 1), &port) || port <= 0 || port > 65535) {
    return absl::InvalidArgumentError(absl::StrCat(
        "redis address \"", address, "\" is neither host:port nor unix:/path/to/socket"));
  }
  endpoint.host = std::string(rest.substr(0, colon));
  endpoint.port = port;
  return endpoint;
}

std::string RedisEndpoint::ToString() const {
  return unix_path.empty() ? absl::StrCat(host, ":", port) : absl::StrCat("unix:", unix_path);
}

absl::StatusOr<std::unique_ptr<RedisConnection>> RedisConnection::Open(
    const RedisEndpoint& endpoint, absl::Duration connect_timeout, absl::Duration command_timeout,
    const std::string& password) {
  redisContext* context = endpoint.unix_path.empty()
                              ? redisConnectWithTimeout(endpoint.host.c_str(), endpoint.port,
                                                        absl::ToTimeval(connect_timeout))
                              : redisConnectUnixWithTimeout(endpoint.unix_path.c_str(),
                                                            absl::ToTimeval(connect_timeout));
  if (context == nullptr) {
    return absl::UnavailableError("redis: cannot allocate a connection");
  }
  if (context->err != 0) {
    absl::Status status = absl::UnavailableError(
        absl::StrCat("redis at ", endpoint.ToString(), " unreachable: ", context->errstr));
    redisFree(context);
    return status;
  }
  auto connection = std::unique_ptr<RedisConnection>(new RedisConnection(context));
  if (absl::Status status = connection->SetCommandTimeout(command_timeout); !status.ok()) {
    return status;
  }
  // TCP keepalive notices a peer that vanished without a FIN; it does not apply to (and fails
  // on, breaking the context) unix sockets.
  if (endpoint.unix_path.empty() && redisEnableKeepAlive(context) != REDIS_OK) {
    return connection->Broken();
  }
  if (!password.empty()) {
    absl::StatusOr<RedisReply> reply = connection->Command({"AUTH", password});
    if (!reply.ok()) return reply.status();
    if (reply->is_error()) {
      return absl::PermissionDeniedError(absl::StrCat("redis AUTH refused: ", reply->str));
    }
  }
  return connection;
}

RedisConnection::~RedisConnection() { redisFree(context_); }

absl::Status RedisConnection::SetCommandTimeout(absl::Duration timeout) {
  if (redisSetTimeout(context_, absl::ToTimeval(timeout)) != REDIS_OK) return Broken();
  return absl::OkStatus();
}

absl::Status RedisConnection::Broken() {
  broken_ = true;
  // hiredis reports a socket timeout as an I/O error with errno EAGAIN.
  bool timed_out = context_->err == REDIS_ERR_IO &&
                   (errno == EAGAIN || errno == EWOULDBLOCK ||
                    absl::StrContains(context_->errstr, "temporarily unavailable"));
  return absl::UnavailableError(timed_out
                                    ? std::string("redis did not answer in time")
                                    : absl::StrCat("redis connection failed: ", context_->errstr));
}

absl::Status RedisConnection::Append(const std::vector<std::string>& args) {
  std::vector<const char*> argv;
  std::vector<size_t> lengths;
  argv.reserve(args.size());
  lengths.reserve(args.size());
  for (const std::string& arg : args) {
    argv.push_back(arg.data());
    lengths.push_back(arg.size());
  }
  if (redisAppendCommandArgv(context_, static_cast<int>(args.size()), argv.data(),
                             lengths.data()) != REDIS_OK) {
    return Broken();
  }
  return absl::OkStatus();
}

absl::StatusOr<RedisReply> RedisConnection::ReadReply() {
  void* raw = nullptr;
  if (redisGetReply(context_, &raw) != REDIS_OK || raw == nullptr) return Broken();
  RedisReply reply = Convert(static_cast<redisReply*>(raw));
  freeReplyObject(raw);
  return reply;
}

absl::StatusOr<RedisReply> RedisConnection::Command(const std::vector<std::string>& args) {
  if (broken_) return absl::UnavailableError("redis connection is broken");
  if (absl::Status status = Append(args); !status.ok()) return status;
  return ReadReply();
}

absl::StatusOr<std::vector<RedisReply>> RedisConnection::Pipeline(
    const std::vector<std::vector<std::string>>& commands) {
  if (broken_) return absl::UnavailableError("redis connection is broken");
  for (const auto& command : commands) {
    if (absl::Status status = Append(command); !status.ok()) return status;
  }
  std::vector<RedisReply> replies;
  replies.reserve(commands.size());
  for (size_t i = 0; i < commands.size(); ++i) {
    absl::StatusOr<RedisReply> reply = ReadReply();
    if (!reply.ok()) return reply.status();
    replies.push_back(*std::move(reply));
  }
  return replies;
}

}  // namespace homecare
