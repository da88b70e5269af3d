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
#include "homecare/scheduling/v1/scheduling.grpc.pb.h"
#include "tools/carectl/error_text.h"
#include "tools/carectl/roster_parsing.h"

namespace homecare::carectl {

void ClientFlags::Register(FlagSet& flags) {
  flags.AddString("roster", &roster, "Address of homecare-roster");
  flags.AddString("scheduling", &scheduling, "Address of homecare-scheduling");
  flags.AddString("checkin", &checkin, "Address of homecare-checkin");
  flags.AddString("token", &token, "Bearer token (see `carectl token`)");
  flags.AddDuration("timeout", &timeout, "Deadline of each call");
  flags.AddBool("json", &json, "Print the response as proto JSON (for scripts)");
  flags_ = &flags;
}

std::shared_ptr<grpc::Channel> ClientFlags::Channel(const std::string& address) const {
  std::shared_ptr<grpc::Channel>& channel = channels_[address];
  if (channel == nullptr) channel = MakeChannel(address);
  return channel;
}

std::unique_ptr<grpc::ClientContext> ClientFlags::Context() const {
  auto context = std::make_unique<grpc::ClientContext>();
  PrepareContext(*context, token, timeout);
  return context;
}

std::unique_ptr<grpc::ClientContext> ClientFlags::StreamContext() const {
  auto context = std::make_unique<grpc::ClientContext>();
  if (!token.empty()) context->AddMetadata("authorization", "Bearer " + token);
  return context;
}

std::vector<std::string> ClientFlags::FlagNames() const {
  return flags_ == nullptr ? std::vector<std::string>() : flags_->Names();
}

absl::StatusOr<roster::v1::Tenant> ClientFlags::Tenant() const {
  if (!tenant_.has_value()) {
    tenant_ = Call(*this, roster, &roster::v1::RosterService::Stub::GetTenant,
                   roster::v1::GetTenantRequest());
  }
  return *tenant_;
}

std::vector<Command>& Commands() {
  static auto* commands = new std::vector<Command>();
  return *commands;
}

int ParseOrExit(FlagSet& flags, const std::vector<std::string>& args,
                std::vector<std::string>* positional) {
  absl::StatusOr<std::vector<std::string>> parsed = flags.Parse(args);
  const std::string help = absl::StrCat("(`", flags.program(), " --help` lists its flags)\n");
  if (!parsed.ok()) {
    std::cerr << "error: " << parsed.status().message() << "\n" << help;
    return 2;
  }
  if (flags.help_requested()) {
    std::cout << flags.Usage();
    return 0;
  }
  if (positional != nullptr) {
    *positional = *std::move(parsed);
  } else if (!parsed->empty()) {
    std::cerr << "error: unexpected argument \"" << parsed->front()
              << "\"; values go after their flag, like --id <id>\n"
              << help;
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

int PrintError(const absl::Status& status, const std::vector<std::string>& flags) {
  std::cerr << FormatError(status, flags) << "\n";
  return 1;
}

absl::StatusOr<absl::TimeZone> TenantZone(const ClientFlags& client) {
  absl::StatusOr<roster::v1::Tenant> tenant = client.Tenant();
  if (!tenant.ok()) {
    return absl::Status(tenant.status().code(), absl::StrCat("cannot read the tenant's time zone: ",
                                                             tenant.status().message()));
  }
  return LoadTimeZone(tenant->time_zone());
}

namespace {

// More ids than this are looked up by walking the list instead of one call each.
constexpr size_t kMostSingleLookups = 20;
constexpr int kMostListPages = 10;

// Adds the names of `ids` to `names` from the service at `address`: Get<Item> for each of a
// few, otherwise pages of List<Item>s. The four messages differ by kind only in the names of
// two fields, so those are given: `id_field` (the id in the item and in the Get request) and
// `list_field` (the items of a page). An id that cannot be read keeps no name.
template <typename Stub, typename GetRequest, typename Item, typename ListRequest,
          typename ListResponse>
void AddNames(const ClientFlags& client, const std::string& address,
              grpc::Status (Stub::*get)(grpc::ClientContext*, const GetRequest&, Item*),
              grpc::Status (Stub::*list)(grpc::ClientContext*, const ListRequest&, ListResponse*),
              const std::string& id_field, const std::string& list_field,
              const std::set<std::string>& ids, std::map<std::string, std::string>& names) {
  auto add = [&](const google::protobuf::Message& item) {
    const auto* type = item.GetDescriptor();
    names[item.GetReflection()->GetString(item, type->FindFieldByName(id_field))] =
        item.GetReflection()->GetString(item, type->FindFieldByName("display_name"));
  };
  if (ids.size() <= kMostSingleLookups) {
    for (const std::string& id : ids) {
      GetRequest request;
      request.GetReflection()->SetString(&request,
                                         request.GetDescriptor()->FindFieldByName(id_field), id);
      if (absl::StatusOr<Item> item = Call(client, address, get, request); item.ok()) add(*item);
    }
    return;
  }
  ListRequest request;
  request.set_page_size(200);
  for (int page = 0; page < kMostListPages; ++page) {
    absl::StatusOr<ListResponse> response = Call(client, address, list, request);
    if (!response.ok()) return;
    const auto* items = response->GetDescriptor()->FindFieldByName(list_field);
    for (int i = 0; i < response->GetReflection()->FieldSize(*response, items); ++i) {
      add(response->GetReflection()->GetRepeatedMessage(*response, items, i));
    }
    if (response->next_page_token().empty()) return;
    request.set_page_token(response->next_page_token());
  }
}

}  // namespace

Directory LoadDirectory(const ClientFlags& client, const Wanted& wanted) {
  namespace rv1 = roster::v1;
  namespace sv1 = scheduling::v1;
  Directory directory;
  if (absl::StatusOr<rv1::Tenant> tenant = client.Tenant(); tenant.ok()) {
    directory.AddTenant(*tenant);
  } else {
    std::cerr << "note: times are in UTC; cannot read the tenant: " << tenant.status().message()
              << "\n";
  }
  AddNames(client, client.roster, &rv1::RosterService::Stub::GetCarer,
           &rv1::RosterService::Stub::ListCarers, "carer_id", "carers", wanted.carers,
           directory.carers);
  AddNames(client, client.scheduling, &sv1::SchedulingService::Stub::GetClient,
           &sv1::SchedulingService::Stub::ListClients, "client_id", "clients", wanted.clients,
           directory.clients);
  return directory;
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

absl::Status ParseTimeFlag(absl::string_view flag, const std::string& text, absl::TimeZone zone,
                           google::protobuf::Timestamp& field) {
  absl::StatusOr<absl::Time> time = ParseInstant(text, zone);
  if (!time.ok()) return ForFlag(flag, time.status());
  field = TimeToProto(*time);
  return absl::OkStatus();
}

absl::Status ParseDayFlag(absl::string_view flag, const std::string& text,
                          common::v1::Date& field) {
  absl::StatusOr<absl::CivilDay> day = ParseDay(text);
  if (!day.ok()) return ForFlag(flag, day.status());
  field = DateToProto(*day);
  return absl::OkStatus();
}

void DayRangeFlags::Register(FlagSet& flags, absl::string_view date_help) {
  flags.AddString("date", &date, date_help);
  flags.AddString("from", &from, "Or from this day: YYYY-MM-DD");
  flags.AddString("to", &to, "...to this day (inclusive)");
}

absl::Status ParseTrueFalse(const std::string& flag, const std::string& text, bool& value) {
  if (text != "true" && text != "false") {
    return absl::InvalidArgumentError("--" + flag + " must be true or false");
  }
  value = text == "true";
  return absl::OkStatus();
}

}  // namespace homecare::carectl
