// Plumbing shared by carectl's commands: flags common to all, calling a service, printing
// responses as JSON and errors with their field violations.
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
#include "absl/time/time.h"
#include "common/config/flags.h"
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

}  // namespace homecare::carectl

#endif  // HOMECARE_TOOLS_CARECTL_CLI_H_
