#include "common/redis/lua_script.h"

#include <openssl/sha.h>

#include <utility>

#include "absl/strings/escaping.h"

namespace homecare {

LuaScript::LuaScript(std::string_view name, std::string_view source, int num_keys)
    : name_(name), source_(source), num_keys_(num_keys) {
  unsigned char digest[SHA_DIGEST_LENGTH];
  SHA1(reinterpret_cast<const unsigned char*>(source_.data()), source_.size(), digest);
  sha1_ = absl::BytesToHexString(
      absl::string_view(reinterpret_cast<const char*>(digest), sizeof(digest)));
}

}  // namespace homecare
