// A Lua script run atomically by Redis: one script per atomic state transition.
#ifndef HOMECARE_COMMON_REDIS_LUA_SCRIPT_H_
#define HOMECARE_COMMON_REDIS_LUA_SCRIPT_H_

#include <string>
#include <string_view>

#include "absl/strings/string_view.h"

namespace homecare {

class LuaScript {
 public:
  // `num_keys` is how many KEYS the script takes: every key it touches is passed in KEYS, so
  // that Redis Cluster can route it.
  // (string_view, so that the constants homecare_lua_scripts() generates pass straight in.)
  LuaScript(std::string_view name, std::string_view source, int num_keys);

  const std::string& name() const { return name_; }
  const std::string& source() const { return source_; }
  // The SHA1 Redis knows the script by, computed here so EVALSHA needs no round trip first.
  const std::string& sha1() const { return sha1_; }
  int num_keys() const { return num_keys_; }

 private:
  std::string name_;
  std::string source_;
  std::string sha1_;
  int num_keys_;
};

}  // namespace homecare

#endif  // HOMECARE_COMMON_REDIS_LUA_SCRIPT_H_
