#include "common/redis/cluster_slots.h"

#include <cstdint>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

namespace homecare {
namespace {

uint16_t Crc16(absl::string_view data) {
  uint16_t crc = 0;
  for (unsigned char byte : data) {
    crc ^= static_cast<uint16_t>(byte) << 8;
    for (int bit = 0; bit < 8; ++bit) {
      crc = (crc & 0x8000) != 0 ? static_cast<uint16_t>((crc << 1) ^ 0x1021)
                                : static_cast<uint16_t>(crc << 1);
    }
  }
  return crc;
}

}  // namespace

int KeySlot(absl::string_view key) {
  const size_t open = key.find('{');
  if (open != absl::string_view::npos) {
    const size_t close = key.find('}', open + 1);
    if (close != absl::string_view::npos && close > open + 1) {
      key = key.substr(open + 1, close - open - 1);
    }
  }
  return Crc16(key) % kClusterSlots;
}

std::optional<std::string> RoutingKey(const std::vector<std::string>& command) {
  if (command.size() < 2) return std::nullopt;
  const std::string name = absl::AsciiStrToUpper(command[0]);
  if (name == "EVAL" || name == "EVALSHA" || name == "EVAL_RO" || name == "EVALSHA_RO" ||
      name == "FCALL") {
    int keys = 0;
    if (command.size() < 4 || !absl::SimpleAtoi(command[2], &keys) || keys < 1) {
      return std::nullopt;
    }
    return command[3];
  }
  if (name == "XREAD" || name == "XREADGROUP") {
    for (size_t i = 1; i + 1 < command.size(); ++i) {
      if (absl::AsciiStrToUpper(command[i]) == "STREAMS") return command[i + 1];
    }
    return std::nullopt;
  }
  static constexpr const char* kKeyless[] = {
      "PING",   "SCRIPT",  "CLUSTER", "INFO",  "ASKING",   "READONLY", "READWRITE", "WAIT",
      "CONFIG", "CLIENT",  "AUTH",    "HELLO", "FLUSHALL", "FLUSHDB",  "DBSIZE",    "TIME",
      "ECHO",   "COMMAND", "MULTI",   "EXEC",  "DISCARD",  "SELECT",   "FUNCTION",  "MEMORY"};
  for (const char* keyless : kKeyless) {
    if (name == keyless) return std::nullopt;
  }
  return command[1];
}

absl::StatusOr<std::vector<SlotRange>> ParseClusterSlots(const RedisReply& reply) {
  auto bad = [](absl::string_view why) {
    return absl::InternalError(absl::StrCat("CLUSTER SLOTS: ", why));
  };
  if (reply.type != RedisReply::Type::kArray) return bad("not an array");
  std::vector<SlotRange> ranges;
  for (const RedisReply& range : reply.elements) {
    if (range.elements.size() < 3 || range.elements[0].type != RedisReply::Type::kInteger ||
        range.elements[1].type != RedisReply::Type::kInteger) {
      return bad("a range is not [first, last, master, ...]");
    }
    const RedisReply& master = range.elements[2];
    if (master.elements.size() < 2 || !master.elements[0].is_string() ||
        master.elements[1].type != RedisReply::Type::kInteger) {
      return bad("a master is not [host, port, ...]");
    }
    SlotRange parsed;
    parsed.first = static_cast<int>(range.elements[0].integer);
    parsed.last = static_cast<int>(range.elements[1].integer);
    if (parsed.first < 0 || parsed.last < parsed.first || parsed.last >= kClusterSlots) {
      return bad("a range is outside the slots");
    }
    parsed.master.host = master.elements[0].str;
    parsed.master.port = static_cast<int>(master.elements[1].integer);
    ranges.push_back(std::move(parsed));
  }
  return ranges;
}

std::optional<Redirect> ParseRedirect(const RedisReply& reply) {
  if (!reply.is_error()) return std::nullopt;
  const bool moved = absl::StartsWith(reply.str, "MOVED ");
  const bool ask = absl::StartsWith(reply.str, "ASK ");
  if (!moved && !ask) return std::nullopt;
  std::vector<absl::string_view> parts = absl::StrSplit(reply.str, ' ');
  Redirect redirect;
  redirect.ask = ask;
  if (parts.size() != 3 || !absl::SimpleAtoi(parts[1], &redirect.slot)) return std::nullopt;
  // Redis leaves the host out (":6381") when the node does not know the name it is reached by:
  // the same host as the node that answered, which the caller fills in.
  const size_t colon = parts[2].rfind(':');
  if (colon == absl::string_view::npos ||
      !absl::SimpleAtoi(parts[2].substr(colon + 1), &redirect.to.port) || redirect.to.port <= 0) {
    return std::nullopt;
  }
  redirect.to.host = std::string(parts[2].substr(0, colon));
  return redirect;
}

}  // namespace homecare
