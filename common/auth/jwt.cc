#include "common/auth/jwt.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <cmath>
#include <fstream>
#include <sstream>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "google/protobuf/struct.pb.h"
#include "google/protobuf/util/json_util.h"

namespace homecare {
namespace {

std::string HmacSha256(absl::string_view secret, absl::string_view data) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()),
       reinterpret_cast<const unsigned char*>(data.data()), data.size(), digest, &length);
  return std::string(reinterpret_cast<const char*>(digest), length);
}

std::string ToJson(const google::protobuf::Struct& object) {
  std::string json;
  // Serialising a Struct we built cannot fail.
  (void)google::protobuf::util::MessageToJsonString(object, &json);
  return json;
}

absl::StatusOr<google::protobuf::Struct> ParseJsonSegment(absl::string_view segment,
                                                          absl::string_view what) {
  std::string json;
  if (!absl::WebSafeBase64Unescape(segment, &json)) {
    return absl::UnauthenticatedError(absl::StrCat("token ", what, " is not base64url"));
  }
  google::protobuf::Struct object;
  if (!google::protobuf::util::JsonStringToMessage(json, &object).ok()) {
    return absl::UnauthenticatedError(absl::StrCat("token ", what, " is not a JSON object"));
  }
  return object;
}

const google::protobuf::Value* Field(const google::protobuf::Struct& object,
                                     absl::string_view name) {
  auto it = object.fields().find(std::string(name));
  return it == object.fields().end() ? nullptr : &it->second;
}

std::string StringField(const google::protobuf::Struct& object, absl::string_view name) {
  const google::protobuf::Value* value = Field(object, name);
  return value != nullptr && value->has_string_value() ? value->string_value() : std::string();
}

// A NumericDate claim (seconds since the epoch), or nullopt when absent or not a number.
std::optional<absl::Time> TimeField(const google::protobuf::Struct& object,
                                    absl::string_view name) {
  const google::protobuf::Value* value = Field(object, name);
  if (value == nullptr || value->kind_case() != google::protobuf::Value::kNumberValue ||
      !std::isfinite(value->number_value())) {
    return std::nullopt;
  }
  return absl::FromUnixSeconds(static_cast<int64_t>(value->number_value()));
}

bool AudienceMatches(const google::protobuf::Struct& claims, absl::string_view audience) {
  const google::protobuf::Value* aud = Field(claims, "aud");
  if (aud == nullptr) return false;
  if (aud->has_string_value()) return aud->string_value() == audience;
  if (aud->has_list_value()) {
    for (const auto& entry : aud->list_value().values()) {
      if (entry.has_string_value() && entry.string_value() == audience) return true;
    }
  }
  return false;
}

}  // namespace

absl::StatusOr<std::string> ReadSecretFile(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  if (!file) return absl::NotFoundError(absl::StrCat("cannot read secret file ", path));
  std::stringstream content;
  content << file.rdbuf();
  std::string secret(absl::StripTrailingAsciiWhitespace(content.str()));
  if (secret.size() < 32) {
    return absl::InvalidArgumentError(absl::StrCat("secret file ", path, " holds ", secret.size(),
                                                   " bytes; HS256 needs at least 32"));
  }
  return secret;
}

std::string MintToken(const TokenClaims& claims, absl::string_view secret) {
  google::protobuf::Struct header;
  (*header.mutable_fields())["alg"].set_string_value("HS256");
  (*header.mutable_fields())["typ"].set_string_value("JWT");

  google::protobuf::Struct payload;
  auto& fields = *payload.mutable_fields();
  fields["iss"].set_string_value(claims.issuer);
  fields["aud"].set_string_value(claims.audience);
  fields["sub"].set_string_value(claims.principal.subject);
  fields["role"].set_string_value(std::string(RoleName(claims.principal.role)));
  if (!claims.principal.tenant.empty()) fields["tenant"].set_string_value(claims.principal.tenant);
  if (!claims.principal.carer_id.empty()) {
    fields["carer_id"].set_string_value(claims.principal.carer_id);
  }
  fields["iat"].set_number_value(static_cast<double>(absl::ToUnixSeconds(claims.issued_at)));
  fields["exp"].set_number_value(static_cast<double>(absl::ToUnixSeconds(claims.expires_at)));

  std::string signing_input = absl::StrCat(absl::WebSafeBase64Escape(ToJson(header)), ".",
                                           absl::WebSafeBase64Escape(ToJson(payload)));
  return absl::StrCat(signing_input, ".",
                      absl::WebSafeBase64Escape(HmacSha256(secret, signing_input)));
}

JwtVerifier::JwtVerifier(std::string secret, std::string issuer, std::string audience,
                         const Clock* clock, absl::Duration leeway)
    : secret_(std::move(secret)),
      issuer_(std::move(issuer)),
      audience_(std::move(audience)),
      clock_(clock),
      leeway_(leeway) {}

absl::StatusOr<Principal> JwtVerifier::Verify(absl::string_view token) const {
  {
    absl::MutexLock lock(&cache_mutex_);
    auto it = cache_.find(token);
    if (it != cache_.end()) {
      if (absl::Status status = CheckTimes(it->second); !status.ok()) return status;
      return it->second.principal;
    }
  }
  absl::StatusOr<Verified> verified = VerifyUncached(token);
  if (!verified.ok()) return verified.status();
  if (absl::Status status = CheckTimes(*verified); !status.ok()) return status;
  absl::MutexLock lock(&cache_mutex_);
  // Dropping everything when full keeps this simple; the cost is one re-verification per token.
  if (cache_.size() >= kMaxCachedTokens) cache_.clear();
  cache_.emplace(std::string(token), *verified);
  return verified->principal;
}

absl::Status JwtVerifier::CheckTimes(const Verified& verified) const {
  absl::Time now = clock_->Now();
  if (now >= verified.expires_at + leeway_) return absl::UnauthenticatedError("token has expired");
  if (now + leeway_ < verified.not_before) {
    return absl::UnauthenticatedError("token is not valid yet");
  }
  return absl::OkStatus();
}

absl::StatusOr<JwtVerifier::Verified> JwtVerifier::VerifyUncached(absl::string_view token) const {
  std::vector<absl::string_view> parts = absl::StrSplit(token, '.');
  if (parts.size() != 3 || parts[0].empty() || parts[1].empty() || parts[2].empty()) {
    return absl::UnauthenticatedError("token is not a JWS compact serialisation");
  }
  absl::StatusOr<google::protobuf::Struct> header = ParseJsonSegment(parts[0], "header");
  if (!header.ok()) return header.status();
  if (StringField(*header, "alg") != "HS256") {
    return absl::UnauthenticatedError("token algorithm must be HS256");
  }

  std::string signature;
  if (!absl::WebSafeBase64Unescape(parts[2], &signature)) {
    return absl::UnauthenticatedError("token signature is not base64url");
  }
  std::string expected =
      HmacSha256(secret_, absl::string_view(token.data(), parts[0].size() + 1 + parts[1].size()));
  if (signature.size() != expected.size() ||
      CRYPTO_memcmp(signature.data(), expected.data(), expected.size()) != 0) {
    return absl::UnauthenticatedError("token signature does not verify");
  }

  // Only a token we signed gets this far, so its claims can be read.
  absl::StatusOr<google::protobuf::Struct> claims = ParseJsonSegment(parts[1], "payload");
  if (!claims.ok()) return claims.status();
  Verified verified;
  std::optional<absl::Time> expires_at = TimeField(*claims, "exp");
  if (!expires_at.has_value()) return absl::UnauthenticatedError("token has no exp");
  verified.expires_at = *expires_at;
  verified.not_before = TimeField(*claims, "nbf").value_or(absl::InfinitePast());
  if (StringField(*claims, "iss") != issuer_) {
    return absl::UnauthenticatedError("token issuer is not accepted");
  }
  if (!AudienceMatches(*claims, audience_)) {
    return absl::UnauthenticatedError("token audience is not accepted");
  }

  Principal& principal = verified.principal;
  principal.subject = StringField(*claims, "sub");
  if (principal.subject.empty()) return absl::UnauthenticatedError("token has no sub");
  std::optional<Role> role = ParseRole(StringField(*claims, "role"));
  if (!role.has_value()) return absl::UnauthenticatedError("token role is missing or unknown");
  principal.role = *role;
  principal.tenant = StringField(*claims, "tenant");
  principal.carer_id = StringField(*claims, "carer_id");

  switch (principal.role) {
    case Role::kOperator:
      break;  // operators belong to no tenant
    case Role::kSystem:
      if (principal.tenant.empty()) return absl::UnauthenticatedError("token has no tenant");
      break;
    case Role::kCarer:
      if (principal.carer_id.empty()) {
        return absl::UnauthenticatedError("carer token has no carer_id");
      }
      [[fallthrough]];
    case Role::kCoordinator:
    case Role::kCommissioner:
      if (principal.tenant.empty() || principal.acts_for_all_tenants()) {
        return absl::UnauthenticatedError("token must name one tenant");
      }
      break;
  }
  return verified;
}

ServiceTokens::ServiceTokens(std::string secret, std::string issuer, std::string audience,
                             std::string subject, const Clock* clock, absl::Duration ttl)
    : secret_(std::move(secret)),
      issuer_(std::move(issuer)),
      audience_(std::move(audience)),
      subject_(std::move(subject)),
      clock_(clock),
      ttl_(ttl) {}

std::string ServiceTokens::ForTenant(absl::string_view tenant_id) const {
  const absl::Time now = clock_->Now();
  absl::MutexLock lock(&mutex_);
  auto found = minted_.find(tenant_id);
  if (found != minted_.end() && found->second.expires_at - now > absl::Minutes(1)) {
    return found->second.token;
  }
  TokenClaims claims;
  claims.issuer = issuer_;
  claims.audience = audience_;
  claims.principal.subject = subject_;
  claims.principal.role = Role::kSystem;
  claims.principal.tenant = std::string(tenant_id);
  claims.issued_at = now;
  claims.expires_at = now + ttl_;
  Minted minted{MintToken(claims, secret_), claims.expires_at};
  if (minted_.size() > JwtVerifier::kMaxCachedTokens) minted_.clear();
  minted_[tenant_id] = minted;
  return minted.token;
}

}  // namespace homecare
