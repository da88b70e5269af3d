// Asks a server's reflection service what it serves, as grpcurl-style tools do. Debian ships
// no C++ reflection client, so this speaks grpc.reflection.v1alpha with dynamic messages.
#ifndef HOMECARE_TESTS_REFLECTION_CLIENT_H_
#define HOMECARE_TESTS_REFLECTION_CLIENT_H_

#include <grpcpp/channel.h>

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace homecare::testing {

// The full names of the services the server lists.
absl::StatusOr<std::vector<std::string>> ListServices(std::shared_ptr<grpc::Channel> channel);

// The names of the files the server sends to describe `symbol` (the file defining it first,
// then its dependencies).
absl::StatusOr<std::vector<std::string>> FilesContainingSymbol(
    std::shared_ptr<grpc::Channel> channel, const std::string& symbol);

}  // namespace homecare::testing

#endif  // HOMECARE_TESTS_REFLECTION_CLIENT_H_
