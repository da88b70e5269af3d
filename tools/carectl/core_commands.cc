// carectl's first commands: dev tokens, health, tenants.
#include <iostream>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "common/auth/jwt.h"
#include "common/client/channel.h"
#include "common/ids/ids.h"
#include "homecare/roster/v1/roster.grpc.pb.h"
#include "tools/carectl/cli.h"

namespace homecare::carectl {
namespace {

int RunToken(const std::vector<std::string>& args) {
  std::string tenant, role_name = "coordinator", carer_id, subject;
  std::string secret_file = "var/dev-secret";
  std::string issuer(kDefaultTokenIssuer), audience(kDefaultTokenAudience);
  absl::Duration ttl = absl::Hours(12);
  FlagSet flags("carectl token");
  flags.AddString("tenant", &tenant, "Tenant id; \"*\" for a system token acting for all");
  flags.AddString("role", &role_name, "operator, coordinator, carer, commissioner or system");
  flags.AddString("carer-id", &carer_id, "The carer's id (carer tokens)");
  flags.AddString("subject", &subject, "Token subject (sub); default: the role");
  flags.AddDuration("ttl", &ttl, "How long the token is valid");
  flags.AddString("secret-file", &secret_file, "The secret the services verify with");
  flags.AddString("token-issuer", &issuer, "iss");
  flags.AddString("token-audience", &audience, "aud");
  if (int code = ParseOrExit(flags, args); code >= 0) return code;

  std::optional<Role> role = ParseRole(role_name);
  if (!role.has_value()) {
    return PrintError(absl::InvalidArgumentError(
        absl::StrCat("--role \"", role_name,
                     "\" is not valid; expected operator, coordinator, carer, "
                     "commissioner or system")));
  }
  absl::StatusOr<std::string> secret = ReadSecretFile(secret_file);
  if (!secret.ok()) return PrintError(secret.status());
  TokenClaims claims;
  claims.issuer = issuer;
  claims.audience = audience;
  claims.principal.role = *role;
  claims.principal.tenant = tenant;
  claims.principal.carer_id = carer_id;
  claims.principal.subject = subject.empty() ? role_name : subject;
  claims.issued_at = absl::Now();
  claims.expires_at = claims.issued_at + ttl;
  // Catch a token the services would refuse now rather than at the first call.
  SystemClock clock;
  JwtVerifier verifier(*secret, issuer, audience, &clock);
  std::string token = MintToken(claims, *secret);
  if (absl::StatusOr<Principal> check = verifier.Verify(token); !check.ok()) {
    return PrintError(check.status());
  }
  std::cout << token << "\n";
  return 0;
}

int RunHealth(const std::vector<std::string>& args) {
  ClientFlags client;
  std::string address = client.roster, service;
  absl::Duration wait = absl::ZeroDuration();
  FlagSet flags("carectl health");
  flags.AddString("addr", &address, "Server address (host:port or unix:/path)");
  flags.AddString("service", &service, "Service name; empty: the server as a whole");
  flags.AddDuration("wait", &wait, "Keep asking until SERVING or this long has passed");
  if (int code = ParseOrExit(flags, args); code >= 0) return code;
  auto channel = client.Channel(address);
  if (wait > absl::ZeroDuration()) {
    absl::Status serving = WaitForServing(*channel, service, wait);
    if (!serving.ok()) return PrintError(serving);
    std::cout << "SERVING\n";
    return 0;
  }
  absl::StatusOr<ServingStatus> status = CheckHealth(*channel, service, absl::Seconds(5));
  if (!status.ok()) return PrintError(status.status());
  std::cout << ServingStatusName(*status) << "\n";
  return *status == ServingStatus::kServing ? 0 : 1;
}

int RunTenantCreate(const std::vector<std::string>& args) {
  ClientFlags client;
  std::string id, name, time_zone, localities, request_id = RandomUuid();
  int64_t minimum_pay = 0;
  FlagSet flags("carectl tenant create");
  client.Register(flags);
  flags.AddString("id", &id, "Tenant id: lower-case letters, digits and '-'");
  flags.AddString("name", &name, "Display name");
  flags.AddString("time-zone", &time_zone, "IANA time zone; default Europe/London");
  flags.AddString("localities", &localities, "Comma-separated id=Name pairs");
  flags.AddInt("minimum-hourly-pay-pence", &minimum_pay, "Least hourly pay, in pence");
  flags.AddString("request-id", &request_id, "Idempotency key; repeat it to retry safely");
  if (int code = ParseOrExit(flags, args); code >= 0) return code;

  roster::v1::CreateTenantRequest request;
  request.set_request_id(request_id);
  roster::v1::Tenant& tenant = *request.mutable_tenant();
  tenant.set_tenant_id(id);
  tenant.set_display_name(name);
  tenant.set_time_zone(time_zone);
  tenant.set_minimum_hourly_pay_pence(minimum_pay);
  for (absl::string_view pair : absl::StrSplit(localities, ',', absl::SkipEmpty())) {
    std::pair<std::string, std::string> parts = absl::StrSplit(pair, absl::MaxSplits('=', 1));
    auto* locality = tenant.add_localities();
    locality->set_locality_id(parts.first);
    locality->set_display_name(parts.second.empty() ? parts.first : parts.second);
  }
  return CallAndShow(client, client.roster, &roster::v1::RosterService::Stub::CreateTenant, request,
                     RenderTenant);
}

int RunTenantGet(const std::vector<std::string>& args) {
  ClientFlags client;
  std::string id;
  FlagSet flags("carectl tenant get");
  client.Register(flags);
  flags.AddString("id", &id, "Tenant id (operators); others read their own");
  if (int code = ParseOrExit(flags, args); code >= 0) return code;
  roster::v1::GetTenantRequest request;
  request.set_tenant_id(id);
  return CallAndShow(client, client.roster, &roster::v1::RosterService::Stub::GetTenant, request,
                     RenderTenant);
}

}  // namespace

void RegisterCoreCommands() {
  auto& commands = Commands();
  commands.push_back(
      {{"token"}, "Mint a development token from the services' secret file", RunToken});
  commands.push_back(
      {{"health"}, "Ask a server's grpc.health.v1 whether it is SERVING", RunHealth});
  commands.push_back({{"tenant", "create"}, "Create a tenant (operators)", RunTenantCreate});
  commands.push_back({{"tenant", "get"}, "Show a tenant's profile", RunTenantGet});
}

}  // namespace homecare::carectl
