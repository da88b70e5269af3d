// A Lua script run atomically by Redis: one script per atomic state transition.
#ifndef HOMECARE_COMMON_REDIS_LUA_SCRIPT_H_
#define HOMECARE_COMMON_REDIS_LUA_SCRIPT_H_

#include <cstddef>
#include <string>
#include <string_view>

#include "absl/strings/string_view.h"

namespace homecare {

class LuaScript {
 public:
  // The num_keys of a script whose KEYS vary with its ARGV (a visit's write names a few keys
  // per carer on it): its header says which keys come in what order.
  static constexpr int kVariableKeys = -1;

  // `num_keys` is how many KEYS the script takes: every key it touches is passed in KEYS, so
  // that Redis Cluster can route it.
  // (string_view, so that the constants homecare_lua_scripts() generates pass straight in.)
  LuaScript(std::string_view name, std::string_view source, int num_keys);

  const std::string& name() const { return name_; }
  const std::string& source() const { return source_; }
  // The SHA1 Redis knows the script by, computed here so EVALSHA needs no round trip first.
  const std::string& sha1() const { return sha1_; }
  int num_keys() const { return num_keys_; }
  // Whether a call with `count` KEYS fits the script.
  bool TakesKeys(size_t count) const {
    return num_keys_ == kVariableKeys || static_cast<int>(count) == num_keys_;
  }

 private:
  std::string name_;
  std::string source_;
  std::string sha1_;
  int num_keys_;
};

}  // namespace homecare

#endif  // HOMECARE_COMMON_REDIS_LUA_SCRIPT_H_
