// A client of a server's reflection service (grpc.reflection.v1alpha), as grpcurl-style tools
// are: the services it lists, what it says a service, method or message is, and calls of any
// unary or server-streaming method with JSON in and out, with no .proto files at hand. Debian
// ships neither grpcurl nor a C++ reflection client, so this speaks the protocol with dynamic
// messages, and builds the server's own descriptors into a pool of its own to call with.
// Used by `carectl rpc` and by the tests of every server's reflection.
#ifndef HOMECARE_TOOLS_CARECTL_REFLECTION_CLIENT_H_
#define HOMECARE_TOOLS_CARECTL_REFLECTION_CLIENT_H_

#include <grpcpp/channel.h>

#include <memory>
#include <set>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/descriptor_database.h"

namespace homecare {

class ReflectionClient {
 public:
  // `token`, when set, goes on every call as "authorization: Bearer <token>"; each call has
  // `timeout` to finish.
  ReflectionClient(std::shared_ptr<grpc::Channel> channel, std::string token,
                   absl::Duration timeout);

  // The full names of the services the server lists.
  absl::StatusOr<std::vector<std::string>> ListServices();
  // The full names of a service's methods, "pkg.Service.Method".
  absl::StatusOr<std::vector<std::string>> ListMethods(const std::string& service);
  // The names of the files the server sends to describe `symbol` (the file defining it first,
  // then its dependencies).
  absl::StatusOr<std::vector<std::string>> FilesContainingSymbol(const std::string& symbol);

  // What `symbol` is (a service, method, message or enum by full name; "pkg.Service/Method"
  // too) in .proto syntax, headed by its kind; a method comes with its request and response.
  absl::StatusOr<std::string> Describe(const std::string& symbol);

  // Calls `method` ("pkg.Service/Method" or "pkg.Service.Method") with `request_json` (proto
  // JSON; "" or "{}" for an empty request) and returns each response as indented JSON: one for
  // a unary method, each message of a server stream. A failed call is the server's code and
  // message with the details it sent as payloads (see DetailToJson).
  absl::StatusOr<std::vector<std::string>> Call(const std::string& method,
                                                const std::string& request_json);

  // An error detail (a payload of a status Call returned) as JSON, its type found through the
  // server's reflection or among the types built into this program; otherwise its type URL
  // and size.
  std::string DetailToJson(const std::string& type_url, const std::string& bytes);

 private:
  // Adds the files the server sends for `symbol` to the pool, unless it is there already.
  absl::Status Load(const std::string& symbol);
  // Adds a reflection response's files, asking for missing dependencies by name.
  absl::Status AddFiles(const std::vector<std::string>& serialized);
  // The request with `field` set to `value`, and the server's one response, serialized.
  absl::StatusOr<std::string> Ask(const std::string& field, const std::string& value);
  absl::StatusOr<std::vector<std::string>> FileProtos(const std::string& field,
                                                      const std::string& value);

  std::shared_ptr<grpc::Channel> channel_;
  std::string token_;
  absl::Duration timeout_;
  std::set<std::string> files_;
  google::protobuf::SimpleDescriptorDatabase database_;
  // Built lazily from database_, so that a file is built once all its dependencies are in.
  google::protobuf::DescriptorPool pool_{&database_};
};

}  // namespace homecare

#endif  // HOMECARE_TOOLS_CARECTL_REFLECTION_CLIENT_H_
