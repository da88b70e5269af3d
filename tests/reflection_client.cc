#include "tests/reflection_client.h"

#include <grpcpp/client_context.h>
#include <grpcpp/impl/codegen/rpc_method.h>
#include <grpcpp/impl/codegen/sync_stream.h>
#include <grpcpp/support/byte_buffer.h>

#include "absl/strings/str_cat.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/descriptor.pb.h"
#include "google/protobuf/dynamic_message.h"
#include "google/protobuf/text_format.h"

namespace homecare::testing {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::DescriptorPool;
using google::protobuf::DynamicMessageFactory;
using google::protobuf::Message;

constexpr char kMethod[] = "/grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo";

// The part of grpc/reflection/v1alpha/reflection.proto this client uses, with the same field
// numbers: the wire format is all that matters. Built at run time so that the test needs neither
// a second proto library nor libgrpc++_reflection's internal descriptors.
constexpr char kReflectionProto[] = R"pb(
  name: "reflection_subset.proto"
  package: "homecare.testing.reflection"
  syntax: "proto3"
  message_type {
    name: "ServerReflectionRequest"
    field { name: "host" number: 1 type: TYPE_STRING label: LABEL_OPTIONAL }
    field { name: "file_containing_symbol" number: 4 type: TYPE_STRING label: LABEL_OPTIONAL }
    field { name: "list_services" number: 7 type: TYPE_STRING label: LABEL_OPTIONAL }
  }
  message_type {
    name: "ServerReflectionResponse"
    field {
      name: "file_descriptor_response"
      number: 4
      type: TYPE_MESSAGE
      label: LABEL_OPTIONAL
      type_name: ".homecare.testing.reflection.FileDescriptorResponse"
    }
    field {
      name: "list_services_response"
      number: 6
      type: TYPE_MESSAGE
      label: LABEL_OPTIONAL
      type_name: ".homecare.testing.reflection.ListServiceResponse"
    }
  }
  message_type {
    name: "FileDescriptorResponse"
    field { name: "file_descriptor_proto" number: 1 type: TYPE_BYTES label: LABEL_REPEATED }
  }
  message_type {
    name: "ListServiceResponse"
    field {
      name: "service"
      number: 1
      type: TYPE_MESSAGE
      label: LABEL_REPEATED
      type_name: ".homecare.testing.reflection.ServiceResponse"
    }
  }
  message_type {
    name: "ServiceResponse"
    field { name: "name" number: 1 type: TYPE_STRING label: LABEL_OPTIONAL }
  }
)pb";

const DescriptorPool* ReflectionPool() {
  static const DescriptorPool* pool = [] {
    google::protobuf::FileDescriptorProto file;
    auto* built = new DescriptorPool();
    if (google::protobuf::TextFormat::ParseFromString(kReflectionProto, &file)) {
      built->BuildFile(file);
    }
    return built;
  }();
  return pool;
}

// One request, one response, over the bidirectional stream.
absl::StatusOr<std::unique_ptr<Message>> Ask(std::shared_ptr<grpc::Channel> channel,
                                             const std::string& field, const std::string& value) {
  const DescriptorPool* pool = ReflectionPool();
  const Descriptor* request_type =
      pool->FindMessageTypeByName("homecare.testing.reflection.ServerReflectionRequest");
  const Descriptor* response_type =
      pool->FindMessageTypeByName("homecare.testing.reflection.ServerReflectionResponse");
  if (request_type == nullptr || response_type == nullptr) {
    return absl::InternalError("reflection descriptors did not build");
  }
  static DynamicMessageFactory* factory = new DynamicMessageFactory();
  std::unique_ptr<Message> request(factory->GetPrototype(request_type)->New());
  request->GetReflection()->SetString(request.get(), request_type->FindFieldByName(field), value);

  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
  grpc::internal::RpcMethod method(kMethod, grpc::internal::RpcMethod::BIDI_STREAMING);
  std::unique_ptr<grpc::ClientReaderWriter<grpc::ByteBuffer, grpc::ByteBuffer>> stream(
      grpc::internal::ClientReaderWriterFactory<grpc::ByteBuffer, grpc::ByteBuffer>::Create(
          channel.get(), method, &context));
  std::string bytes = request->SerializeAsString();
  grpc::Slice slice(bytes);
  grpc::ByteBuffer out(&slice, 1);
  if (!stream->Write(out)) return absl::UnavailableError("reflection: write failed");
  stream->WritesDone();
  grpc::ByteBuffer in;
  bool read = stream->Read(&in);
  grpc::Status status = stream->Finish();
  if (!read) return absl::UnavailableError(absl::StrCat("reflection: ", status.error_message()));
  std::vector<grpc::Slice> slices;
  (void)in.Dump(&slices);
  std::string received;
  for (const auto& part : slices) received.append(part.begin(), part.end());
  std::unique_ptr<Message> response(factory->GetPrototype(response_type)->New());
  if (!response->ParseFromString(received)) {
    return absl::DataLossError("reflection response does not parse");
  }
  return response;
}

}  // namespace

absl::StatusOr<std::vector<std::string>> ListServices(std::shared_ptr<grpc::Channel> channel) {
  auto response = Ask(channel, "list_services", "*");
  if (!response.ok()) return response.status();
  const Message& message = **response;
  const auto* reflection = message.GetReflection();
  const auto* field = message.GetDescriptor()->FindFieldByName("list_services_response");
  const Message& list = reflection->GetMessage(message, field);
  const auto* service_field = list.GetDescriptor()->FindFieldByName("service");
  std::vector<std::string> names;
  for (int i = 0; i < list.GetReflection()->FieldSize(list, service_field); ++i) {
    const Message& service = list.GetReflection()->GetRepeatedMessage(list, service_field, i);
    names.push_back(service.GetReflection()->GetString(
        service, service.GetDescriptor()->FindFieldByName("name")));
  }
  return names;
}

absl::StatusOr<std::vector<std::string>> FilesContainingSymbol(
    std::shared_ptr<grpc::Channel> channel, const std::string& symbol) {
  auto response = Ask(channel, "file_containing_symbol", symbol);
  if (!response.ok()) return response.status();
  const Message& message = **response;
  const auto* field = message.GetDescriptor()->FindFieldByName("file_descriptor_response");
  if (!message.GetReflection()->HasField(message, field)) {
    return absl::NotFoundError(absl::StrCat("server cannot describe ", symbol));
  }
  const Message& files = message.GetReflection()->GetMessage(message, field);
  const auto* proto_field = files.GetDescriptor()->FindFieldByName("file_descriptor_proto");
  std::vector<std::string> names;
  for (int i = 0; i < files.GetReflection()->FieldSize(files, proto_field); ++i) {
    google::protobuf::FileDescriptorProto file;
    file.ParseFromString(files.GetReflection()->GetRepeatedString(files, proto_field, i));
    names.push_back(file.name());
  }
  return names;
}

}  // namespace homecare::testing
