// JSON Web Tokens signed with HS256, the bearer tokens of every API.
//
// Verification follows RFC 8725: the algorithm is pinned to HS256 (a token saying "none" or
// RS256 is refused), `exp`, `iss` and `aud` are required and checked, and the signature is
// compared in constant time (CRYPTO_memcmp).
#ifndef HOMECARE_COMMON_AUTH_JWT_H_
#define HOMECARE_COMMON_AUTH_JWT_H_

#include <string>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "common/auth/principal.h"
#include "common/time/time.h"

namespace homecare {

inline constexpr absl::string_view kDefaultTokenIssuer = "homecare";
inline constexpr absl::string_view kDefaultTokenAudience = "homecare";

// Reads the shared HS256 secret: the file's bytes without trailing whitespace; at least 32 bytes
// (RFC 7518 asks for a key as long as the hash).
absl::StatusOr<std::string> ReadSecretFile(const std::string& path);

struct TokenClaims {
  std::string issuer = std::string(kDefaultTokenIssuer);
  std::string audience = std::string(kDefaultTokenAudience);
  Principal principal;
  absl::Time issued_at;
  absl::Time expires_at;
};

// Signs `claims` with `secret`; used by the dev token CLI and by tests.
std::string MintToken(const TokenClaims& claims, absl::string_view secret);

// Mints the short-lived `system` tokens a service calls another service with, one per tenant,
// reused until a minute before they expire (so that the callee's verifier cache hits).
class ServiceTokens {
 public:
  // `clock` must outlive this. `subject` names the calling service ("homecare-scheduling").
  ServiceTokens(std::string secret, std::string issuer, std::string audience, std::string subject,
                const Clock* clock, absl::Duration ttl = absl::Minutes(10));

  std::string ForTenant(absl::string_view tenant_id) const;

 private:
  struct Minted {
    std::string token;
    absl::Time expires_at;
  };

  std::string secret_;
  std::string issuer_;
  std::string audience_;
  std::string subject_;
  const Clock* clock_;
  absl::Duration ttl_;
  mutable absl::Mutex mutex_;
  mutable absl::flat_hash_map<std::string, Minted> minted_ ABSL_GUARDED_BY(mutex_);
};

class JwtVerifier {
 public:
  // `clock` must outlive the verifier. `leeway` tolerates clock differences between the minter
  // and this server when checking `exp` and `nbf`.
  JwtVerifier(std::string secret, std::string issuer, std::string audience, const Clock* clock,
              absl::Duration leeway = absl::Seconds(30));

  // The principal of a valid token; UNAUTHENTICATED saying what is wrong otherwise.
  //
  // Phones and back offices send the same token on every call for hours, and parsing its JSON
  // costs twenty times the HMAC; so a token that verified is remembered (byte for byte, up to
  // `kMaxCachedTokens`) and later only its time limits are checked again.
  absl::StatusOr<Principal> Verify(absl::string_view token) const;

  static constexpr size_t kMaxCachedTokens = 10000;

 private:
  struct Verified {
    Principal principal;
    absl::Time expires_at;
    absl::Time not_before;
  };

  absl::StatusOr<Verified> VerifyUncached(absl::string_view token) const;
  // UNAUTHENTICATED once `verified` is out of its time limits.
  absl::Status CheckTimes(const Verified& verified) const;

  std::string secret_;
  std::string issuer_;
  std::string audience_;
  const Clock* clock_;
  absl::Duration leeway_;

  mutable absl::Mutex cache_mutex_;
  mutable absl::flat_hash_map<std::string, Verified> cache_ ABSL_GUARDED_BY(cache_mutex_);
};

}  // namespace homecare

#endif  // HOMECARE_COMMON_AUTH_JWT_H_
