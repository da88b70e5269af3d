#include "common/testing/tokens.h"

#include <fstream>

#include "absl/time/clock.h"
#include "common/auth/jwt.h"
#include "common/ids/ids.h"
#include "common/testing/subprocess.h"

namespace homecare::testing {

TestSecret::TestSecret()
    : dir_(MakeTempDir("hc-secret")),
      path_(dir_ + "/secret"),
      secret_(RandomId("s") + RandomId("t")) {
  std::ofstream(path_) << secret_ << "\n";
}

TestSecret::~TestSecret() { RemoveTree(dir_); }

std::string TestSecret::Token(Role role, const std::string& tenant, const std::string& carer_id,
                              absl::Duration ttl) const {
  TokenClaims claims;
  claims.principal.subject = absl::StrCat("test-", RoleName(role));
  claims.principal.role = role;
  claims.principal.tenant = tenant;
  claims.principal.carer_id = carer_id;
  claims.issued_at = absl::Now() - absl::Minutes(1);
  claims.expires_at = absl::Now() + ttl;
  return MintToken(claims, secret_);
}

}  // namespace homecare::testing
