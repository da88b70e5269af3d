// A Redis reply as a plain value, copied out of hiredis' reply tree so that no hiredis type
// leaves this library.
#ifndef HOMECARE_COMMON_REDIS_REDIS_REPLY_H_
#define HOMECARE_COMMON_REDIS_REDIS_REPLY_H_

#include <cstdint>
#include <string>
#include <vector>

namespace homecare {

struct RedisReply {
  enum class Type { kNil, kString, kStatus, kInteger, kArray, kError };

  Type type = Type::kNil;
  std::string str;  // kString, kStatus, kError
  int64_t integer = 0;
  std::vector<RedisReply> elements;  // kArray

  bool is_nil() const { return type == Type::kNil; }
  bool is_error() const { return type == Type::kError; }
  bool is_string() const { return type == Type::kString || type == Type::kStatus; }
};

}  // namespace homecare

#endif  // HOMECARE_COMMON_REDIS_REDIS_REPLY_H_
