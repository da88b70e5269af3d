// Redis Cluster's routing rules, pure: which of the 16,384 hash slots a key is in (the part in
// the first non-empty {...} when there is one, so that a tenant's keys "hc:{T}:..." share a
// slot), which key a command routes by, the slot map CLUSTER SLOTS answers, and the MOVED and
// ASK redirections a node answers for a slot it does not serve.
#ifndef HOMECARE_COMMON_REDIS_CLUSTER_SLOTS_H_
#define HOMECARE_COMMON_REDIS_CLUSTER_SLOTS_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "common/redis/redis_connection.h"
#include "common/redis/redis_reply.h"

namespace homecare {

inline constexpr int kClusterSlots = 16384;

// CRC16 (XMODEM) of the key's hash tag, or of the whole key when it has none, mod 16384.
int KeySlot(absl::string_view key);

// The key a command is routed by: the first key of EVAL/EVALSHA (none when it has no KEYS),
// the first stream of XREAD/XREADGROUP, nothing for commands without keys (PING, SCRIPT,
// CLUSTER, INFO, ...), else the first argument.
std::optional<std::string> RoutingKey(const std::vector<std::string>& command);

// A range of slots and the node that serves it (the master), from CLUSTER SLOTS.
struct SlotRange {
  int first = 0;
  int last = 0;
  RedisEndpoint master;
};
// INTERNAL when the reply is not CLUSTER SLOTS' shape.
absl::StatusOr<std::vector<SlotRange>> ParseClusterSlots(const RedisReply& reply);

// "MOVED 3999 127.0.0.1:6381" (the slot has moved for good: refresh the map) or
// "ASK 3999 127.0.0.1:6381" (being migrated: this one command goes there, after ASKING). The
// host is empty when Redis left it out (the host of the node that answered).
struct Redirect {
  bool ask = false;
  int slot = 0;
  RedisEndpoint to;
};
std::optional<Redirect> ParseRedirect(const RedisReply& reply);

}  // namespace homecare

#endif  // HOMECARE_COMMON_REDIS_CLUSTER_SLOTS_H_
