#include "tools/carectl/cli.h"

#include <cstdio>
#include <iostream>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "common/client/channel.h"
#include "common/server/grpc_status.h"
#include "common/status/errors.h"
#include "common/time/time.h"
#include "google/protobuf/util/json_util.h"
#include "homecare/roster/v1/roster.grpc.pb.h"

namespace homecare::carectl {

void ClientFlags::Register(FlagSet& flags) {
  flags.AddString("roster", &roster, "Address of homecare-roster");
  flags.AddString("scheduling", &scheduling, "Address of homecare-scheduling");
  flags.AddString("checkin", &checkin, "Address of homecare-checkin");
  flags.AddString("token", &token, "Bearer token (see `carectl token`)");
  flags.AddDuration("timeout", &timeout, "Deadline of each call");
}

std::shared_ptr<grpc::Channel> ClientFlags::Channel(const std::string& address) const {
  return MakeChannel(address);
}

std::unique_ptr<grpc::ClientContext> ClientFlags::Context() const {
  auto context = std::make_unique<grpc::ClientContext>();
  PrepareContext(*context, token, timeout);
  return context;
}

std::vector<Command>& Commands() {
  static auto* commands = new std::vector<Command>();
  return *commands;
}

int ParseOrExit(FlagSet& flags, const std::vector<std::string>& args) {
  absl::StatusOr<std::vector<std::string>> positional = flags.Parse(args);
  if (!positional.ok()) {
    std::cerr << positional.status().message() << "\n" << flags.Usage();
    return 2;
  }
  if (flags.help_requested()) {
    std::cout << flags.Usage();
    return 0;
  }
  if (!positional->empty()) {
    std::cerr << "unexpected argument \"" << positional->front() << "\"\n" << flags.Usage();
    return 2;
  }
  return -1;
}

void PrintJson(const google::protobuf::Message& message) {
  google::protobuf::util::JsonPrintOptions options;
  options.add_whitespace = true;
  options.preserve_proto_field_names = true;
  std::string json;
  (void)google::protobuf::util::MessageToJsonString(message, &json, options);
  std::cout << json;
  if (json.empty() || json.back() != '\n') std::cout << "\n";
}

int PrintError(const absl::Status& status) {
  std::cerr << absl::StatusCodeToString(status.code()) << ": " << status.message() << "\n";
  for (const auto& violation : FieldViolationsOf(status)) {
    std::cerr << "  field " << violation.field() << ": " << violation.description() << "\n";
  }
  for (const auto& violation : PreconditionViolationsOf(status)) {
    std::cerr << "  " << violation.type() << " " << violation.subject() << ": "
              << violation.description() << "\n";
  }
  return 1;
}

int PrintError(const grpc::Status& status) { return PrintError(FromGrpcStatus(status)); }

absl::StatusOr<absl::TimeZone> TenantZone(const ClientFlags& client) {
  absl::StatusOr<roster::v1::Tenant> tenant =
      Call(client, client.roster, &roster::v1::RosterService::Stub::GetTenant,
           roster::v1::GetTenantRequest());
  if (!tenant.ok()) {
    return absl::UnavailableError(
        absl::StrCat("cannot read the tenant's time zone: ", tenant.status().message()));
  }
  return LoadTimeZone(tenant->time_zone());
}

absl::Status ForFlag(absl::string_view flag, const absl::Status& status) {
  if (status.ok()) return status;
  return absl::Status(status.code(), absl::StrCat("--", flag, ": ", status.message()));
}

absl::Status ParseInt(const std::string& flag, const std::string& text, int64_t& value) {
  if (!absl::SimpleAtoi(text, &value)) {
    return absl::InvalidArgumentError("--" + flag + " must be a whole number");
  }
  return absl::OkStatus();
}

absl::Status ParseTrueFalse(const std::string& flag, const std::string& text, bool& value) {
  if (text != "true" && text != "false") {
    return absl::InvalidArgumentError("--" + flag + " must be true or false");
  }
  value = text == "true";
  return absl::OkStatus();
}

}  // namespace homecare::carectl
