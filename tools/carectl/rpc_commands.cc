// carectl rpc: any RPC of any server, found through its reflection service, with JSON in and
// out; what grpcurl does, for machines where it is not installed (Debian 12 does not package
// it).
#include <iostream>
#include <iterator>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/client/channel.h"
#include "tools/carectl/cli.h"
#include "tools/carectl/reflection_client.h"

namespace homecare::carectl {
namespace {

// The flags of every rpc command, and the one positional argument most of them take.
struct RpcFlags {
  std::string address = "127.0.0.1:50051";
  std::string token;
  absl::Duration timeout = absl::Seconds(10);

  void Register(FlagSet& flags) {
    flags.AddString("addr", &address, "Server address (host:port or unix:/path)");
    flags.AddString("token", &token, "Bearer token (see `carectl token`)");
    flags.AddDuration("timeout", &timeout, "Deadline of each call");
  }

  ReflectionClient Client() const { return ReflectionClient(MakeChannel(address), token, timeout); }
};

// The code and message of a failed call, then each detail the server attached, as JSON.
int PrintRpcError(ReflectionClient& client, const absl::Status& status) {
  std::cerr << "error: " << absl::StatusCodeToString(status.code()) << ": " << status.message()
            << "\n";
  std::vector<std::pair<std::string, std::string>> details;
  status.ForEachPayload([&details](absl::string_view type_url, const absl::Cord& payload) {
    details.emplace_back(std::string(type_url), std::string(payload));
  });
  if (!details.empty()) std::cerr << "details:\n";
  for (const auto& [type_url, bytes] : details) std::cerr << client.DetailToJson(type_url, bytes);
  return 1;
}

// Parses the flags and exactly `most` positional arguments (at least `least`); -1 to go on.
int ParseRpcArgs(FlagSet& flags, const std::vector<std::string>& args, size_t least, size_t most,
                 const std::string& what, std::vector<std::string>& positional) {
  if (int code = ParseOrExit(flags, args, &positional); code >= 0) return code;
  if (positional.size() < least || positional.size() > most) {
    std::cerr << "error: " << flags.program() << " takes " << what << "\n(`" << flags.program()
              << " --help` lists its flags)\n";
    return 2;
  }
  return -1;
}

int RunRpcList(const std::vector<std::string>& args) {
  RpcFlags rpc;
  FlagSet flags("carectl rpc list [<service>]");
  rpc.Register(flags);
  std::vector<std::string> positional;
  if (int code = ParseRpcArgs(flags, args, 0, 1, "at most one service name", positional);
      code >= 0) {
    return code;
  }
  ReflectionClient client = rpc.Client();
  absl::StatusOr<std::vector<std::string>> names =
      positional.empty() ? client.ListServices() : client.ListMethods(positional[0]);
  if (!names.ok()) return PrintRpcError(client, names.status());
  for (const std::string& name : *names) std::cout << name << "\n";
  return 0;
}

int RunRpcDescribe(const std::vector<std::string>& args) {
  RpcFlags rpc;
  FlagSet flags("carectl rpc describe <service, method, message or enum>");
  rpc.Register(flags);
  std::vector<std::string> positional;
  if (int code = ParseRpcArgs(flags, args, 1, 1, "one full name, like homecare.roster.v1.Carer",
                              positional);
      code >= 0) {
    return code;
  }
  ReflectionClient client = rpc.Client();
  absl::StatusOr<std::string> text = client.Describe(positional[0]);
  if (!text.ok()) return PrintRpcError(client, text.status());
  std::cout << *text;
  return 0;
}

int RunRpcCall(const std::vector<std::string>& args) {
  RpcFlags rpc;
  std::string data;
  FlagSet flags("carectl rpc call <package.Service/Method>");
  rpc.Register(flags);
  flags.AddString("data", &data, "The request as proto JSON; \"-\" reads it from stdin");
  std::vector<std::string> positional;
  if (int code =
          ParseRpcArgs(flags, args, 1, 1,
                       "one method, like homecare.roster.v1.RosterService/GetTenant", positional);
      code >= 0) {
    return code;
  }
  if (data == "-") data.assign(std::istreambuf_iterator<char>(std::cin), {});
  ReflectionClient client = rpc.Client();
  absl::StatusOr<std::vector<std::string>> responses = client.Call(positional[0], data);
  if (!responses.ok()) return PrintRpcError(client, responses.status());
  for (const std::string& json : *responses) {
    std::cout << json;
    if (json.empty() || json.back() != '\n') std::cout << "\n";
  }
  return 0;
}

}  // namespace

void RegisterRpcCommands() {
  auto& commands = Commands();
  commands.push_back({{"rpc", "list"},
                      "The services a server has (server reflection), or a service's methods",
                      RunRpcList});
  commands.push_back({{"rpc", "describe"},
                      "A service, method, message or enum as the server describes it",
                      RunRpcDescribe});
  commands.push_back(
      {{"rpc", "call"}, "Call any method with a JSON request (--data); prints JSON", RunRpcCall});
}

}  // namespace homecare::carectl
