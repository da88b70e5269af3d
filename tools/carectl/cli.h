// Plumbing shared by carectl's commands: flags common to all, calling a service, printing
// responses as JSON and errors with their field violations, the tenant's time zone and checks
// of flag values.
#ifndef HOMECARE_TOOLS_CARECTL_CLI_H_
#define HOMECARE_TOOLS_CARECTL_CLI_H_

#include <grpcpp/channel.h>
#include <grpcpp/client_context.h>

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "common/config/flags.h"
#include "common/server/grpc_status.h"
#include "google/protobuf/message.h"

namespace homecare::carectl {

// Flags every command that calls a service takes.
struct ClientFlags {
  std::string roster = "127.0.0.1:50051";
  std::string scheduling = "127.0.0.1:50052";
  std::string checkin = "127.0.0.1:50053";
  std::string token;  // HOMECARE_TOKEN
  absl::Duration timeout = absl::Seconds(10);

  void Register(FlagSet& flags);
  std::shared_ptr<grpc::Channel> Channel(const std::string& address) const;
  // A context with the deadline and bearer token set.
  std::unique_ptr<grpc::ClientContext> Context() const;
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

// Parses `args` into `flags`; on error or --help prints usage and returns the exit code to use
// (0 for help), otherwise -1.
int ParseOrExit(FlagSet& flags, const std::vector<std::string>& args);

// Prints a message as indented JSON on stdout.
void PrintJson(const google::protobuf::Message& message);

// Prints a failed call's code, message and details on stderr; returns exit code 1.
int PrintError(const grpc::Status& status);
int PrintError(const absl::Status& status);

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

// Calls `method` and prints the response as JSON; the exit code.
template <typename Stub, typename Request, typename Response>
int CallAndPrint(const ClientFlags& client, const std::string& address,
                 grpc::Status (Stub::*method)(grpc::ClientContext*, const Request&, Response*),
                 const Request& request) {
  absl::StatusOr<Response> response = Call(client, address, method, request);
  if (!response.ok()) return PrintError(response.status());
  PrintJson(*response);
  return 0;
}

// The caller's tenant's time zone (from the roster service), for local times on the command
// line and in tables.
absl::StatusOr<absl::TimeZone> TenantZone(const ClientFlags& client);

// A parse error's status with its message prefixed by "--<flag>: ", to say which flag.
absl::Status ForFlag(absl::string_view flag, const absl::Status& status);

// A whole number given to `--<flag>`.
absl::Status ParseInt(const std::string& flag, const std::string& text, int64_t& value);
// "true" or "false" given to `--<flag>`.
absl::Status ParseTrueFalse(const std::string& flag, const std::string& text, bool& value);

}  // namespace homecare::carectl

#endif  // HOMECARE_TOOLS_CARECTL_CLI_H_
