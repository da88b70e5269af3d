// What verifying a bearer token costs per call: the first time, and again (remembered), beside
// the HMAC alone (what any HS256 verification pays without a cache).
//   build/bench/jwt_bench
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "benchmark/benchmark.h"
#include "common/auth/jwt.h"

namespace homecare {
namespace {

constexpr char kSecret[] = "0123456789abcdef0123456789abcdef-bench";

std::string CoordinatorToken() {
  TokenClaims claims;
  claims.principal.subject = "coordinator@example";
  claims.principal.role = Role::kCoordinator;
  claims.principal.tenant = "sunrise-care";
  claims.issued_at = absl::Now();
  claims.expires_at = absl::Now() + absl::Hours(1);
  return MintToken(claims, kSecret);
}

void BM_HmacSha256Only(benchmark::State& state) {
  std::string token = CoordinatorToken();
  std::string signing_input = token.substr(0, token.rfind('.'));
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  for (auto _ : state) {
    HMAC(EVP_sha256(), kSecret, sizeof(kSecret) - 1,
         reinterpret_cast<const unsigned char*>(signing_input.data()), signing_input.size(), digest,
         &length);
    benchmark::DoNotOptimize(digest);
  }
}
BENCHMARK(BM_HmacSha256Only);

// A token seen for the first time: signature, then the JSON of header and claims.
void BM_VerifyNewToken(benchmark::State& state) {
  SystemClock clock;
  std::string token = CoordinatorToken();
  for (auto _ : state) {
    JwtVerifier verifier(kSecret, "homecare", "homecare", &clock);
    auto principal = verifier.Verify(token);
    benchmark::DoNotOptimize(principal);
  }
}
BENCHMARK(BM_VerifyNewToken);

// The same token again, as on every call of a session.
void BM_VerifyToken(benchmark::State& state) {
  SystemClock clock;
  JwtVerifier verifier(kSecret, "homecare", "homecare", &clock);
  std::string token = CoordinatorToken();
  for (auto _ : state) {
    auto principal = verifier.Verify(token);
    benchmark::DoNotOptimize(principal);
  }
}
BENCHMARK(BM_VerifyToken);

}  // namespace
}  // namespace homecare

BENCHMARK_MAIN();
