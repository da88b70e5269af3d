#include "tools/carectl/reflection_client.h"

#include <grpcpp/client_context.h>
#include <grpcpp/impl/codegen/client_unary_call.h>
#include <grpcpp/impl/codegen/rpc_method.h>
#include <grpcpp/impl/codegen/sync_stream.h>
#include <grpcpp/support/byte_buffer.h>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "common/client/channel.h"
#include "common/server/grpc_status.h"
#include "google/protobuf/descriptor.pb.h"
#include "google/protobuf/dynamic_message.h"
#include "google/protobuf/text_format.h"
#include "google/protobuf/util/json_util.h"

namespace homecare {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::DescriptorPool;
using google::protobuf::DynamicMessageFactory;
using google::protobuf::Message;

constexpr char kReflectionMethod[] =
    "/grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo";

// The part of grpc/reflection/v1alpha/reflection.proto this client uses, with the same field
// numbers: the wire format is all that matters. Built at run time so that neither a second
// proto library nor libgrpc++_reflection's internal descriptors are needed.
constexpr char kReflectionProto[] = R"pb(
  name: "reflection_subset.proto"
  package: "homecare.reflection"
  syntax: "proto3"
  message_type {
    name: "ServerReflectionRequest"
    field { name: "host" number: 1 type: TYPE_STRING label: LABEL_OPTIONAL }
    field { name: "file_by_filename" number: 3 type: TYPE_STRING label: LABEL_OPTIONAL }
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
      type_name: ".homecare.reflection.FileDescriptorResponse"
    }
    field {
      name: "list_services_response"
      number: 6
      type: TYPE_MESSAGE
      label: LABEL_OPTIONAL
      type_name: ".homecare.reflection.ListServiceResponse"
    }
    field {
      name: "error_response"
      number: 7
      type: TYPE_MESSAGE
      label: LABEL_OPTIONAL
      type_name: ".homecare.reflection.ErrorResponse"
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
      type_name: ".homecare.reflection.ServiceResponse"
    }
  }
  message_type {
    name: "ServiceResponse"
    field { name: "name" number: 1 type: TYPE_STRING label: LABEL_OPTIONAL }
  }
  message_type {
    name: "ErrorResponse"
    field { name: "error_code" number: 1 type: TYPE_INT32 label: LABEL_OPTIONAL }
    field { name: "error_message" number: 2 type: TYPE_STRING label: LABEL_OPTIONAL }
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

const Descriptor* ReflectionType(const std::string& name) {
  return ReflectionPool()->FindMessageTypeByName("homecare.reflection." + name);
}

DynamicMessageFactory& ReflectionFactory() {
  static auto* factory = new DynamicMessageFactory(ReflectionPool());
  return *factory;
}

grpc::ByteBuffer ToBuffer(const std::string& bytes) {
  grpc::Slice slice(bytes);
  return grpc::ByteBuffer(&slice, 1);
}

std::string FromBuffer(const grpc::ByteBuffer& buffer) {
  std::vector<grpc::Slice> slices;
  (void)buffer.Dump(&slices);
  std::string bytes;
  for (const auto& part : slices) bytes.append(part.begin(), part.end());
  return bytes;
}

std::string ToJson(const Message& message) {
  google::protobuf::util::JsonPrintOptions options;
  options.add_whitespace = true;
  options.preserve_proto_field_names = true;
  std::string json;
  if (!google::protobuf::util::MessageToJsonString(message, &json, options).ok()) {
    return absl::StrCat("{\"error\": \"cannot print a ", message.GetDescriptor()->full_name(),
                        " as JSON\"}\n");
  }
  return json;
}

// The field `name` of a reflection message, which this file's descriptor always has.
const google::protobuf::FieldDescriptor* Field(const Message& message, const std::string& name) {
  return message.GetDescriptor()->FindFieldByName(name);
}

}  // namespace

ReflectionClient::ReflectionClient(std::shared_ptr<grpc::Channel> channel, std::string token,
                                   absl::Duration timeout)
    : channel_(std::move(channel)), token_(std::move(token)), timeout_(timeout) {}

absl::StatusOr<std::string> ReflectionClient::Ask(const std::string& field,
                                                  const std::string& value) {
  const Descriptor* request_type = ReflectionType("ServerReflectionRequest");
  if (request_type == nullptr) return absl::InternalError("reflection descriptors did not build");
  std::unique_ptr<Message> request(ReflectionFactory().GetPrototype(request_type)->New());
  request->GetReflection()->SetString(request.get(), Field(*request, field), value);

  grpc::ClientContext context;
  PrepareContext(context, token_, timeout_);
  grpc::internal::RpcMethod method(kReflectionMethod, grpc::internal::RpcMethod::BIDI_STREAMING);
  std::unique_ptr<grpc::ClientReaderWriter<grpc::ByteBuffer, grpc::ByteBuffer>> stream(
      grpc::internal::ClientReaderWriterFactory<grpc::ByteBuffer, grpc::ByteBuffer>::Create(
          channel_.get(), method, &context));
  if (!stream->Write(ToBuffer(request->SerializeAsString()))) {
    return FromGrpcStatus(stream->Finish());
  }
  stream->WritesDone();
  grpc::ByteBuffer in;
  bool read = stream->Read(&in);
  grpc::Status status = stream->Finish();
  if (!status.ok()) return FromGrpcStatus(status);
  if (!read) return absl::UnavailableError("the reflection service sent no answer");
  return FromBuffer(in);
}

absl::StatusOr<std::vector<std::string>> ReflectionClient::ListServices() {
  absl::StatusOr<std::string> bytes = Ask("list_services", "*");
  if (!bytes.ok()) return bytes.status();
  std::unique_ptr<Message> response(
      ReflectionFactory().GetPrototype(ReflectionType("ServerReflectionResponse"))->New());
  if (!response->ParseFromString(*bytes)) {
    return absl::DataLossError("the reflection response does not parse");
  }
  const Message& list =
      response->GetReflection()->GetMessage(*response, Field(*response, "list_services_response"));
  const auto* service_field = Field(list, "service");
  std::vector<std::string> names;
  for (int i = 0; i < list.GetReflection()->FieldSize(list, service_field); ++i) {
    const Message& service = list.GetReflection()->GetRepeatedMessage(list, service_field, i);
    names.push_back(service.GetReflection()->GetString(service, Field(service, "name")));
  }
  return names;
}

absl::StatusOr<std::vector<std::string>> ReflectionClient::FileProtos(const std::string& field,
                                                                      const std::string& value) {
  absl::StatusOr<std::string> bytes = Ask(field, value);
  if (!bytes.ok()) return bytes.status();
  std::unique_ptr<Message> response(
      ReflectionFactory().GetPrototype(ReflectionType("ServerReflectionResponse"))->New());
  if (!response->ParseFromString(*bytes)) {
    return absl::DataLossError("the reflection response does not parse");
  }
  const auto* reflection = response->GetReflection();
  if (reflection->HasField(*response, Field(*response, "error_response"))) {
    const Message& error = reflection->GetMessage(*response, Field(*response, "error_response"));
    return absl::NotFoundError(
        absl::StrCat("the server cannot describe ", value, ": ",
                     error.GetReflection()->GetString(error, Field(error, "error_message"))));
  }
  if (!reflection->HasField(*response, Field(*response, "file_descriptor_response"))) {
    return absl::NotFoundError(absl::StrCat("the server cannot describe ", value));
  }
  const Message& files =
      reflection->GetMessage(*response, Field(*response, "file_descriptor_response"));
  const auto* proto_field = Field(files, "file_descriptor_proto");
  std::vector<std::string> serialized;
  for (int i = 0; i < files.GetReflection()->FieldSize(files, proto_field); ++i) {
    serialized.push_back(files.GetReflection()->GetRepeatedString(files, proto_field, i));
  }
  return serialized;
}

absl::StatusOr<std::vector<std::string>> ReflectionClient::FilesContainingSymbol(
    const std::string& symbol) {
  absl::StatusOr<std::vector<std::string>> serialized =
      FileProtos("file_containing_symbol", symbol);
  if (!serialized.ok()) return serialized.status();
  std::vector<std::string> names;
  for (const std::string& bytes : *serialized) {
    google::protobuf::FileDescriptorProto file;
    if (file.ParseFromString(bytes)) names.push_back(file.name());
  }
  return names;
}

absl::Status ReflectionClient::AddFiles(const std::vector<std::string>& serialized) {
  std::set<std::string> needed;
  for (const std::string& bytes : serialized) {
    google::protobuf::FileDescriptorProto file;
    if (!file.ParseFromString(bytes)) {
      return absl::DataLossError("a file descriptor from the server does not parse");
    }
    for (const std::string& dependency : file.dependency()) needed.insert(dependency);
    if (files_.insert(file.name()).second) database_.Add(file);
  }
  // Servers send a file's dependencies with it, but one sent in an earlier answer may be left
  // out of a later one; anything still missing is asked for by name.
  for (const std::string& name : needed) {
    if (files_.count(name) > 0) continue;
    absl::StatusOr<std::vector<std::string>> more = FileProtos("file_by_filename", name);
    if (!more.ok()) return more.status();
    if (absl::Status added = AddFiles(*more); !added.ok()) return added;
  }
  return absl::OkStatus();
}

absl::Status ReflectionClient::Load(const std::string& symbol) {
  if (pool_.FindFileContainingSymbol(symbol) != nullptr) return absl::OkStatus();
  absl::StatusOr<std::vector<std::string>> serialized =
      FileProtos("file_containing_symbol", symbol);
  if (!serialized.ok()) return serialized.status();
  return AddFiles(*serialized);
}

absl::StatusOr<std::vector<std::string>> ReflectionClient::ListMethods(const std::string& service) {
  if (absl::Status loaded = Load(service); !loaded.ok()) return loaded;
  const google::protobuf::ServiceDescriptor* descriptor = pool_.FindServiceByName(service);
  if (descriptor == nullptr) return absl::NotFoundError(absl::StrCat(service, " is not a service"));
  std::vector<std::string> methods;
  for (int i = 0; i < descriptor->method_count(); ++i) {
    methods.push_back(descriptor->method(i)->full_name());
  }
  return methods;
}

absl::StatusOr<std::string> ReflectionClient::Describe(const std::string& symbol) {
  const std::string name = absl::StrReplaceAll(symbol, {{"/", "."}});
  if (absl::Status loaded = Load(name); !loaded.ok()) return loaded;
  if (const auto* service = pool_.FindServiceByName(name)) {
    return absl::StrCat(name, " is a service:\n", service->DebugString());
  }
  if (const auto* method = pool_.FindMethodByName(name)) {
    return absl::StrCat(name, " is a method:\n", method->DebugString(), "\n",
                        method->input_type()->DebugString(), "\n",
                        method->output_type()->DebugString());
  }
  if (const auto* message = pool_.FindMessageTypeByName(name)) {
    return absl::StrCat(name, " is a message:\n", message->DebugString());
  }
  if (const auto* enum_type = pool_.FindEnumTypeByName(name)) {
    return absl::StrCat(name, " is an enum:\n", enum_type->DebugString());
  }
  return absl::NotFoundError(
      absl::StrCat(symbol, " is not a service, method, message or enum the server describes"));
}

absl::StatusOr<std::vector<std::string>> ReflectionClient::Call(const std::string& method,
                                                                const std::string& request_json) {
  std::string name = method;
  if (size_t slash = name.rfind('/'); slash != std::string::npos) name[slash] = '.';
  if (!name.empty() && name[0] == '.') name.erase(0, 1);
  size_t dot = name.rfind('.');
  if (dot == std::string::npos) {
    return absl::InvalidArgumentError(
        absl::StrCat("method \"", method,
                     "\" is not a full name like homecare.roster.v1.RosterService/GetTenant"));
  }
  if (absl::Status loaded = Load(name.substr(0, dot)); !loaded.ok()) return loaded;
  const google::protobuf::MethodDescriptor* descriptor = pool_.FindMethodByName(name);
  if (descriptor == nullptr) {
    return absl::NotFoundError(absl::StrCat(name.substr(0, dot), " has no method ",
                                            name.substr(dot + 1), " (`carectl rpc list ",
                                            name.substr(0, dot), "` lists them)"));
  }
  if (descriptor->client_streaming()) {
    return absl::UnimplementedError(
        absl::StrCat(name,
                     " takes a stream of requests; only unary and server-streaming "
                     "methods can be called from here"));
  }
  DynamicMessageFactory factory(&pool_);
  std::unique_ptr<Message> request(factory.GetPrototype(descriptor->input_type())->New());
  if (!request_json.empty()) {
    // protobuf 3.21 has a Status of its own here, not absl's.
    const auto parsed = google::protobuf::util::JsonStringToMessage(
        request_json, request.get(), google::protobuf::util::JsonParseOptions());
    if (!parsed.ok()) {
      return absl::InvalidArgumentError(absl::StrCat("--data is not a valid ",
                                                     descriptor->input_type()->full_name(), ": ",
                                                     std::string(parsed.message())));
    }
  }
  const std::string path =
      absl::StrCat("/", descriptor->service()->full_name(), "/", descriptor->name());
  const Message* prototype = factory.GetPrototype(descriptor->output_type());
  auto to_json = [prototype](const grpc::ByteBuffer& buffer) -> absl::StatusOr<std::string> {
    std::unique_ptr<Message> response(prototype->New());
    if (!response->ParseFromString(FromBuffer(buffer))) {
      return absl::DataLossError("the response does not parse");
    }
    return ToJson(*response);
  };

  grpc::ClientContext context;
  PrepareContext(context, token_, timeout_);
  const grpc::ByteBuffer out = ToBuffer(request->SerializeAsString());
  std::vector<std::string> responses;
  grpc::Status status;
  if (descriptor->server_streaming()) {
    grpc::internal::RpcMethod rpc(path.c_str(), grpc::internal::RpcMethod::SERVER_STREAMING);
    std::unique_ptr<grpc::ClientReader<grpc::ByteBuffer>> reader(
        grpc::internal::ClientReaderFactory<grpc::ByteBuffer>::Create(channel_.get(), rpc, &context,
                                                                      out));
    grpc::ByteBuffer in;
    while (reader->Read(&in)) {
      absl::StatusOr<std::string> json = to_json(in);
      if (!json.ok()) return json.status();
      responses.push_back(*std::move(json));
    }
    status = reader->Finish();
  } else {
    grpc::internal::RpcMethod rpc(path.c_str(), grpc::internal::RpcMethod::NORMAL_RPC);
    grpc::ByteBuffer in;
    status = grpc::internal::BlockingUnaryCall(channel_.get(), rpc, &context, out, &in);
    if (status.ok()) {
      absl::StatusOr<std::string> json = to_json(in);
      if (!json.ok()) return json.status();
      responses.push_back(*std::move(json));
    }
  }
  if (!status.ok()) return FromGrpcStatus(status);
  return responses;
}

std::string ReflectionClient::DetailToJson(const std::string& type_url, const std::string& bytes) {
  const std::string type = type_url.substr(type_url.rfind('/') + 1);
  const Descriptor* descriptor = nullptr;
  if (Load(type).ok()) descriptor = pool_.FindMessageTypeByName(type);
  DynamicMessageFactory factory(&pool_);
  const Message* prototype = descriptor != nullptr ? factory.GetPrototype(descriptor) : nullptr;
  if (prototype == nullptr) {
    descriptor = DescriptorPool::generated_pool()->FindMessageTypeByName(type);
    if (descriptor != nullptr) {
      prototype = google::protobuf::MessageFactory::generated_factory()->GetPrototype(descriptor);
    }
  }
  std::unique_ptr<Message> detail(prototype != nullptr ? prototype->New() : nullptr);
  if (detail == nullptr || !detail->ParseFromString(bytes)) {
    return absl::StrCat(type_url, " (", bytes.size(),
                        " bytes of a type this program cannot read)\n");
  }
  // As proto JSON prints an Any: the type first, then the message's own fields.
  std::string json = ToJson(*detail);
  const std::string type_field = absl::StrCat("\"@type\": \"", type_url, "\"");
  if (json.rfind("{}", 0) == 0) return absl::StrCat("{", type_field, "}\n");
  return absl::StrCat("{\n ", type_field, ",", json.substr(1));
}

}  // namespace homecare
