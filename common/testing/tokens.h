// A secret file and tokens signed with it, for tests that start real services.
#ifndef HOMECARE_COMMON_TESTING_TOKENS_H_
#define HOMECARE_COMMON_TESTING_TOKENS_H_

#include <string>

#include "absl/time/time.h"
#include "common/auth/principal.h"

namespace homecare::testing {

class TestSecret {
 public:
  // Writes a random 48-byte secret into a file in a fresh directory.
  TestSecret();
  ~TestSecret();

  const std::string& path() const { return path_; }
  const std::string& secret() const { return secret_; }

  // A token for `role` in `tenant`, valid for `ttl` from now (negative: already expired).
  std::string Token(Role role, const std::string& tenant, const std::string& carer_id = "",
                    absl::Duration ttl = absl::Hours(1)) const;

 private:
  std::string dir_;
  std::string path_;
  std::string secret_;
};

}  // namespace homecare::testing

#endif  // HOMECARE_COMMON_TESTING_TOKENS_H_
