#include "bench/load/service_bench.h"

#include <iostream>
#include <memory>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "common/client/channel.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "homecare/roster/v1/roster.grpc.pb.h"

namespace homecare::bench {

void ServiceBenchFlags::Register(FlagSet& flags) {
  flags.AddDouble("seconds", &seconds, "Measured seconds per row");
  flags.AddString("concurrency", &concurrency, "Comma-separated client concurrencies");
  flags.AddBool("smoke", &smoke, "A few calls per row, to check that the benchmark still runs");
}

absl::StatusOr<std::vector<int>> ServiceBenchFlags::Concurrencies() const {
  std::vector<int> values;
  for (absl::string_view part : absl::StrSplit(concurrency, ',', absl::SkipEmpty())) {
    int value = 0;
    if (!absl::SimpleAtoi(part, &value) || value < 1) {
      return absl::InvalidArgumentError("bad --concurrency " + concurrency);
    }
    values.push_back(value);
  }
  return values;
}

absl::Duration ServiceBenchFlags::measured() const {
  return smoke ? absl::Milliseconds(200) : absl::Seconds(seconds);
}

absl::Duration ServiceBenchFlags::warmup() const {
  return smoke ? absl::Milliseconds(50) : absl::Seconds(1);
}

namespace {

CallFactory HealthCheckCallsOn(std::function<std::shared_ptr<grpc::Channel>()> new_channel) {
  return [new_channel](int) -> std::function<bool()> {
    std::shared_ptr<grpc::health::v1::Health::Stub> stub =
        grpc::health::v1::Health::NewStub(new_channel());
    return [stub] {
      grpc::ClientContext context;
      PrepareContext(context, "", absl::Seconds(10));
      grpc::health::v1::HealthCheckRequest request;
      grpc::health::v1::HealthCheckResponse response;
      return stub->Check(&context, request, &response).ok();
    };
  };
}

}  // namespace

CallFactory HealthCheckCalls(const testing::ServiceProcess& service) {
  return HealthCheckCallsOn([&service] { return service.NewChannel(); });
}

CallFactory HealthCheckCalls(const std::string& target) {
  return HealthCheckCallsOn([target] { return MakeChannel(target); });
}

bool AllSucceeded(const std::vector<LoadResult>& results) {
  bool ok = true;
  for (const LoadResult& result : results) {
    if (result.calls == 0 || result.errors > 0) {
      std::cerr << result.name << ": " << result.calls << " calls, " << result.errors
                << " errors\n";
      ok = false;
    }
  }
  return ok;
}

absl::StatusOr<int64_t> RedisUsedMemory(testing::RedisServer& redis) {
  absl::StatusOr<RedisReply> info = redis.Command({"INFO", "memory"});
  if (!info.ok()) return info.status();
  for (absl::string_view line : absl::StrSplit(info->str, "\r\n")) {
    if (absl::ConsumePrefix(&line, "used_memory:")) {
      int64_t bytes = 0;
      if (absl::SimpleAtoi(line, &bytes)) return bytes;
    }
  }
  return absl::InternalError("INFO memory has no used_memory");
}

std::optional<int> ParseBenchFlags(FlagSet& flags, int argc, char** argv) {
  absl::StatusOr<std::vector<std::string>> parsed = flags.Parse(argc, argv);
  if (parsed.ok() && !flags.help_requested()) return std::nullopt;
  std::cerr << (parsed.ok() ? "" : parsed.status().message()) << "\n" << flags.Usage();
  return parsed.ok() ? 0 : 2;
}

absl::Status CreateBenchTenant(const testing::ServiceProcess& roster,
                               const testing::TestSecret& secret, const std::string& tenant_id,
                               absl::Span<const char* const> localities) {
  auto stub = roster::v1::RosterService::NewStub(roster.NewChannel());
  grpc::ClientContext context;
  PrepareContext(context, secret.Token(Role::kOperator, ""), absl::Seconds(10));
  roster::v1::CreateTenantRequest request;
  request.set_request_id(absl::StrCat("bench-", tenant_id));
  roster::v1::Tenant& tenant = *request.mutable_tenant();
  tenant.set_tenant_id(tenant_id);
  tenant.set_display_name("Bench Homecare");
  tenant.set_time_zone("Europe/London");
  tenant.set_minimum_hourly_pay_pence(1260);
  for (const char* id : localities) {
    roster::v1::Locality& locality = *tenant.add_localities();
    locality.set_locality_id(id);
    locality.set_display_name(id);
  }
  roster::v1::Tenant created;
  grpc::Status status = stub->CreateTenant(&context, request, &created);
  if (!status.ok()) return absl::InternalError(status.error_message());
  return absl::OkStatus();
}

}  // namespace homecare::bench
