// Plumbing shared by carectl's commands: flags common to all, calling a service, showing a
// response (rendered for people, or JSON with --json) and errors in the command's own words,
// the tenant's time zone and names for rendering, and checks of flag values.
#ifndef HOMECARE_TOOLS_CARECTL_CLI_H_
#define HOMECARE_TOOLS_CARECTL_CLI_H_

#include <grpcpp/channel.h>
#include <grpcpp/client_context.h>
#include <grpcpp/support/sync_stream.h>

#include <functional>
#include <iostream>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "common/config/flags.h"
#include "common/server/grpc_status.h"
#include "google/protobuf/message.h"
#include "google/protobuf/timestamp.pb.h"
#include "homecare/common/v1/types.pb.h"
#include "homecare/roster/v1/roster.pb.h"
#include "tools/carectl/render.h"

namespace homecare::carectl {

// Flags every command that calls a service takes, and what a run keeps of them: a channel per
// address and the tenant, each made once.
struct ClientFlags {
  std::string roster = "127.0.0.1:50051";
  std::string scheduling = "127.0.0.1:50052";
  std::string checkin = "127.0.0.1:50053";
  std::string token;  // HOMECARE_TOKEN
  absl::Duration timeout = absl::Seconds(10);
  // The response as proto JSON, for scripts, instead of the rendering for people.
  bool json = false;

  // Also remembers `flags`, so that errors can name the command's flags.
  void Register(FlagSet& flags);
  std::shared_ptr<grpc::Channel> Channel(const std::string& address) const;
  // A context with the deadline and bearer token set.
  std::unique_ptr<grpc::ClientContext> Context() const;
  // For a watch: the bearer token and no deadline (it runs until stopped).
  std::unique_ptr<grpc::ClientContext> StreamContext() const;
  // The names of the command's flags; empty before Register.
  std::vector<std::string> FlagNames() const;
  // The caller's tenant, read from the roster service once a run.
  absl::StatusOr<roster::v1::Tenant> Tenant() const;

 private:
  const FlagSet* flags_ = nullptr;
  mutable std::map<std::string, std::shared_ptr<grpc::Channel>> channels_;
  mutable std::optional<absl::StatusOr<roster::v1::Tenant>> tenant_;
};

// One command: "tenant create" is {"tenant", "create"}. `run` gets the arguments after the
// command words and returns the exit code.
struct Command {
  std::vector<std::string> words;
  std::string summary;
  std::function<int(const std::vector<std::string>& args)> run;
};

// The table every command file adds to.
std::vector<Command>& Commands();

// Parses `args` into `flags`; on error or --help prints it and returns the exit code to use (0
// for help), otherwise -1. Positional arguments go to `positional`, or are an error without it.
int ParseOrExit(FlagSet& flags, const std::vector<std::string>& args,
                std::vector<std::string>* positional = nullptr);

// Prints a message as indented JSON on stdout, proto field names as in the .proto files.
void PrintJson(const google::protobuf::Message& message);

// Prints an error once, in words (see FormatError), on stderr, naming the fields the server
// refused by the command's `flags`; returns exit code 1.
int PrintError(const absl::Status& status, const std::vector<std::string>& flags = {});

// Calls `method` (e.g. &RosterService::Stub::GetCarer) on the service at `address`.
template <typename Stub, typename Request, typename Response>
absl::StatusOr<Response> Call(const ClientFlags& client, const std::string& address,
                              grpc::Status (Stub::*method)(grpc::ClientContext*, const Request&,
                                                           Response*),
                              const Request& request) {
  Stub stub(client.Channel(address));
  Response response;
  grpc::Status status = (stub.*method)(client.Context().get(), request, &response);
  if (!status.ok()) return FromGrpcStatus(status);
  return response;
}

// Calls a list `method` for the page `request` asks for or, with `all`, for every page to the
// end, gathering the items `items` names (e.g. &ListAlertsResponse::mutable_alerts) into one
// response.
template <typename Stub, typename Request, typename Response, typename Items>
absl::StatusOr<Response> CallPages(const ClientFlags& client, const std::string& address,
                                   grpc::Status (Stub::*method)(grpc::ClientContext*,
                                                                const Request&, Response*),
                                   Request request, bool all, Items* (Response::*items)()) {
  Response gathered;
  while (true) {
    absl::StatusOr<Response> page = Call(client, address, method, request);
    if (!page.ok()) return page.status();
    for (auto& item : *((*page).*items)()) *(gathered.*items)()->Add() = std::move(item);
    gathered.set_next_page_token(page->next_page_token());
    if (!all || page->next_page_token().empty()) return gathered;
    // A server handing back the token it was given would otherwise keep this going forever.
    if (page->next_page_token() == request.page_token()) {
      return absl::InternalError("the server returned the same page token again");
    }
    request.set_page_token(page->next_page_token());
  }
}

// Prints `response` as JSON with --json, otherwise what `render(response)` makes of it (only
// then are the names and the zone it may need looked up); the exit code.
template <typename Response, typename Render>
int Show(const ClientFlags& client, const Response& response, Render&& render) {
  if (client.json) {
    PrintJson(response);
  } else {
    std::cout << render(response);
  }
  return 0;
}

// Calls `method` and shows the response; a failure is printed in the command's flag names.
template <typename Stub, typename Request, typename Response, typename Render>
int CallAndShow(const ClientFlags& client, const std::string& address,
                grpc::Status (Stub::*method)(grpc::ClientContext*, const Request&, Response*),
                const Request& request, Render&& render) {
  absl::StatusOr<Response> response = Call(client, address, method, request);
  if (!response.ok()) return PrintError(response.status(), client.FlagNames());
  return Show(client, *response, render);
}

// The ids whose names a rendering shows.
struct Wanted {
  std::set<std::string> carers = {};
  std::set<std::string> clients = {};
};

// The tenant's zone and localities, and the names of `wanted`, for rendering. Each kind costs
// one call per id for a few ids and a walk of the list (200 a page, 10 pages at most) for
// more, so that a day's visits cost a few calls rather than one per client. What cannot be
// read is left out: the id is shown instead.
Directory LoadDirectory(const ClientFlags& client, const Wanted& wanted = {});

// Prints each event of a watch as it comes, until `count` events (0: until the stream ends or
// Ctrl-C): as JSON with --json, otherwise `render(event, directory)`, looking up the names
// `wanted(event)` asks for that are not known yet, once each. The exit code.
template <typename Event, typename Wants, typename Render>
int ShowWatch(const ClientFlags& client, grpc::ClientContext& context,
              grpc::ClientReader<Event>& stream, int64_t count, Wants&& wanted, Render&& render) {
  Directory directory = client.json ? Directory() : LoadDirectory(client);
  Event event;
  int64_t seen = 0;
  while ((count == 0 || seen < count) && stream.Read(&event)) {
    ++seen;
    if (client.json) {
      PrintJson(event);
    } else {
      Wanted missing;
      for (const std::string& id : wanted(event).clients) {
        if (!id.empty() && !directory.clients.contains(id)) missing.clients.insert(id);
      }
      for (const std::string& id : wanted(event).carers) {
        if (!id.empty() && !directory.carers.contains(id)) missing.carers.insert(id);
      }
      if (!missing.clients.empty() || !missing.carers.empty()) {
        Directory found = LoadDirectory(client, missing);
        directory.clients.insert(found.clients.begin(), found.clients.end());
        directory.carers.insert(found.carers.begin(), found.carers.end());
      }
      std::cout << render(event, directory);
    }
    std::cout.flush();
  }
  if (count > 0 && seen == count) {
    context.TryCancel();
    stream.Finish();
    return 0;
  }
  grpc::Status ended = stream.Finish();
  if (!ended.ok()) return PrintError(FromGrpcStatus(ended), client.FlagNames());
  return 0;
}

// The caller's tenant's time zone (from the roster service), for local times on the command
// line and in tables.
absl::StatusOr<absl::TimeZone> TenantZone(const ClientFlags& client);

// A parse error's status with its message prefixed by "--<flag>: ", to say which flag.
absl::Status ForFlag(absl::string_view flag, const absl::Status& status);

// A whole number given to `--<flag>`.
absl::Status ParseInt(const std::string& flag, const std::string& text, int64_t& value);
// --<flag>'s time, local in `zone` or RFC 3339, into `field`.
absl::Status ParseTimeFlag(absl::string_view flag, const std::string& text, absl::TimeZone zone,
                           google::protobuf::Timestamp& field);
// --<flag>'s date, YYYY-MM-DD, into `field`.
absl::Status ParseDayFlag(absl::string_view flag, const std::string& text, common::v1::Date& field);
// One local day (--date) or a range of them (--from, --to), for a list request with the fields
// date, start_date and end_date.
struct DayRangeFlags {
  std::string date, from, to;

  void Register(FlagSet& flags, absl::string_view date_help);
  // The days given into `request`; INVALID_ARGUMENT naming the flag.
  template <typename Request>
  absl::Status Fill(Request& request) const {
    if (!date.empty() && (!from.empty() || !to.empty())) {
      return absl::InvalidArgumentError("--date cannot be combined with --from or --to");
    }
    if (!date.empty()) return ParseDayFlag("date", date, *request.mutable_date());
    if (!from.empty()) {
      if (absl::Status ok = ParseDayFlag("from", from, *request.mutable_start_date()); !ok.ok()) {
        return ok;
      }
    }
    if (!to.empty()) return ParseDayFlag("to", to, *request.mutable_end_date());
    return absl::OkStatus();
  }
};

// "true" or "false" given to `--<flag>`.
absl::Status ParseTrueFalse(const std::string& flag, const std::string& text, bool& value);

}  // namespace homecare::carectl

#endif  // HOMECARE_TOOLS_CARECTL_CLI_H_
