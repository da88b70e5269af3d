#include "common/auth/jwt.h"

#include <cstdio>
#include <fstream>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace homecare {
namespace {

using ::testing::HasSubstr;

constexpr absl::string_view kSecret = "0123456789abcdef0123456789abcdef-test";

class JwtTest : public ::testing::Test {
 protected:
  JwtTest()
      : clock_(absl::FromUnixSeconds(1800000000)),
        verifier_(std::string(kSecret), "homecare", "homecare", &clock_) {}

  TokenClaims Claims(Role role, std::string tenant, std::string carer_id = "") {
    TokenClaims claims;
    claims.principal.subject = "alice";
    claims.principal.role = role;
    claims.principal.tenant = std::move(tenant);
    claims.principal.carer_id = std::move(carer_id);
    claims.issued_at = clock_.Now();
    claims.expires_at = clock_.Now() + absl::Hours(1);
    return claims;
  }

  absl::Status VerifyStatus(const std::string& token) { return verifier_.Verify(token).status(); }

  FakeClock clock_;
  JwtVerifier verifier_;
};

TEST_F(JwtTest, RoundTripsEveryClaim) {
  auto principal = verifier_.Verify(MintToken(Claims(Role::kCarer, "acme", "c-1"), kSecret));
  ASSERT_TRUE(principal.ok()) << principal.status();
  EXPECT_EQ(principal->subject, "alice");
  EXPECT_EQ(principal->role, Role::kCarer);
  EXPECT_EQ(principal->tenant, "acme");
  EXPECT_EQ(principal->carer_id, "c-1");
  EXPECT_FALSE(principal->acts_for_all_tenants());
}

TEST_F(JwtTest, SystemMayActForAllTenants) {
  auto principal = verifier_.Verify(MintToken(Claims(Role::kSystem, "*"), kSecret));
  ASSERT_TRUE(principal.ok());
  EXPECT_TRUE(principal->acts_for_all_tenants());
}

TEST_F(JwtTest, ExpiredAfterLeeway) {
  std::string token = MintToken(Claims(Role::kCoordinator, "acme"), kSecret);
  clock_.Advance(absl::Hours(1) + absl::Seconds(29));
  EXPECT_TRUE(verifier_.Verify(token).ok());
  clock_.Advance(absl::Seconds(2));
  absl::Status status = VerifyStatus(token);
  EXPECT_EQ(status.code(), absl::StatusCode::kUnauthenticated);
  EXPECT_THAT(status.message(), HasSubstr("expired"));
}

TEST_F(JwtTest, RememberedTokensStillExpireAndStayBounded) {
  std::string token = MintToken(Claims(Role::kCoordinator, "acme"), kSecret);
  ASSERT_TRUE(verifier_.Verify(token).ok());
  ASSERT_TRUE(verifier_.Verify(token).ok());  // from the cache
  clock_.Advance(absl::Hours(2));
  EXPECT_THAT(VerifyStatus(token).message(), HasSubstr("expired"));

  clock_.Set(absl::FromUnixSeconds(1800000000));
  for (size_t i = 0; i <= JwtVerifier::kMaxCachedTokens; ++i) {
    TokenClaims claims = Claims(Role::kCoordinator, "acme");
    claims.principal.subject = absl::StrCat("user-", i);
    ASSERT_TRUE(verifier_.Verify(MintToken(claims, kSecret)).ok());
  }
  EXPECT_TRUE(verifier_.Verify(token).ok());
  // A forged token never reaches the cache, however often it is tried.
  std::string forged = token;
  char& in_signature = forged[forged.size() - 10];  // a whole 6-bit group of the signature
  in_signature = in_signature == 'A' ? 'B' : 'A';
  EXPECT_FALSE(verifier_.Verify(forged).ok());
  EXPECT_FALSE(verifier_.Verify(forged).ok());
}

TEST_F(JwtTest, ServiceTokensAreSystemTokensForOneTenantRenewedBeforeExpiry) {
  ServiceTokens tokens(std::string(kSecret), "homecare", "homecare", "homecare-scheduling", &clock_,
                       absl::Minutes(10));
  const std::string first = tokens.ForTenant("sunrise-care");
  absl::StatusOr<Principal> principal = verifier_.Verify(first);
  ASSERT_TRUE(principal.ok()) << principal.status();
  EXPECT_EQ(principal->role, Role::kSystem);
  EXPECT_EQ(principal->tenant, "sunrise-care");
  EXPECT_EQ(principal->subject, "homecare-scheduling");
  EXPECT_EQ(tokens.ForTenant("sunrise-care"), first) << "reused while fresh";
  EXPECT_NE(tokens.ForTenant("oak-care"), first);
  clock_.Advance(absl::Minutes(9) + absl::Seconds(30));
  const std::string renewed = tokens.ForTenant("sunrise-care");
  EXPECT_NE(renewed, first) << "renewed within a minute of expiring";
  EXPECT_TRUE(verifier_.Verify(renewed).ok());
}

TEST_F(JwtTest, OtherSecretDoesNotVerify) {
  std::string token =
      MintToken(Claims(Role::kCoordinator, "acme"), "another-secret-of-32-bytes-or-more!!");
  EXPECT_THAT(VerifyStatus(token).message(), HasSubstr("signature"));
}

TEST_F(JwtTest, TamperedPayloadDoesNotVerify) {
  std::vector<std::string> parts =
      absl::StrSplit(MintToken(Claims(Role::kCarer, "acme", "c-1"), kSecret), '.');
  std::string payload;
  ASSERT_TRUE(absl::WebSafeBase64Unescape(parts[1], &payload));
  payload = absl::StrReplaceAll(payload, {{"\"carer\"", "\"operator\""}});
  std::string forged =
      absl::StrCat(parts[0], ".", absl::WebSafeBase64Escape(payload), ".", parts[2]);
  EXPECT_EQ(VerifyStatus(forged).code(), absl::StatusCode::kUnauthenticated);
}

TEST_F(JwtTest, AlgorithmIsPinned) {
  std::vector<std::string> parts =
      absl::StrSplit(MintToken(Claims(Role::kCoordinator, "acme"), kSecret), '.');
  std::string none_header = absl::WebSafeBase64Escape(R"({"alg":"none","typ":"JWT"})");
  EXPECT_THAT(VerifyStatus(absl::StrCat(none_header, ".", parts[1], ".", parts[2])).message(),
              HasSubstr("HS256"));
  EXPECT_EQ(VerifyStatus(absl::StrCat(none_header, ".", parts[1], ".")).code(),
            absl::StatusCode::kUnauthenticated);
}

TEST_F(JwtTest, IssuerAndAudienceAreChecked) {
  TokenClaims claims = Claims(Role::kCoordinator, "acme");
  claims.issuer = "someone-else";
  EXPECT_THAT(VerifyStatus(MintToken(claims, kSecret)).message(), HasSubstr("issuer"));
  claims = Claims(Role::kCoordinator, "acme");
  claims.audience = "another-api";
  EXPECT_THAT(VerifyStatus(MintToken(claims, kSecret)).message(), HasSubstr("audience"));
}

TEST_F(JwtTest, RoleShapedClaimsAreRequired) {
  EXPECT_THAT(VerifyStatus(MintToken(Claims(Role::kCarer, "acme"), kSecret)).message(),
              HasSubstr("carer_id"));
  EXPECT_THAT(VerifyStatus(MintToken(Claims(Role::kCoordinator, ""), kSecret)).message(),
              HasSubstr("tenant"));
  EXPECT_THAT(VerifyStatus(MintToken(Claims(Role::kCoordinator, "*"), kSecret)).message(),
              HasSubstr("one tenant"));
  EXPECT_TRUE(verifier_.Verify(MintToken(Claims(Role::kOperator, ""), kSecret)).ok());
}

TEST_F(JwtTest, GarbageIsUnauthenticated) {
  for (const std::string token : {"", "abc", "a.b", "a.b.c", "....", "e30.e30.e30"}) {
    EXPECT_EQ(VerifyStatus(token).code(), absl::StatusCode::kUnauthenticated) << token;
  }
}

TEST(RequireRoleTest, AllowsListedRolesOnly) {
  Principal carer;
  carer.role = Role::kCarer;
  EXPECT_TRUE(RequireRole(carer, {Role::kCoordinator, Role::kCarer}).ok());
  absl::Status denied = RequireRole(carer, {Role::kOperator});
  EXPECT_EQ(denied.code(), absl::StatusCode::kPermissionDenied);
  EXPECT_THAT(denied.message(), HasSubstr("\"carer\""));
}

TEST(RoleNameTest, RoundTrips) {
  for (Role role :
       {Role::kOperator, Role::kCoordinator, Role::kCarer, Role::kCommissioner, Role::kSystem}) {
    EXPECT_EQ(ParseRole(RoleName(role)), role);
  }
  EXPECT_EQ(ParseRole("admin"), std::nullopt);
}

TEST(ReadSecretFileTest, TrimsAndRequiresLength) {
  std::string path = ::testing::TempDir() + "/secret";
  std::ofstream(path) << std::string(kSecret) << "\n";
  auto secret = ReadSecretFile(path);
  ASSERT_TRUE(secret.ok());
  EXPECT_EQ(*secret, kSecret);
  std::ofstream(path) << "short\n";
  EXPECT_EQ(ReadSecretFile(path).status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(ReadSecretFile(path + "-missing").status().code(), absl::StatusCode::kNotFound);
  std::remove(path.c_str());
}

}  // namespace
}  // namespace homecare
