#include "common/status/errors.h"

#include <optional>
#include <utility>

#include "absl/strings/cord.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace homecare {
namespace {

template <typename Message>
std::optional<Message> PayloadOf(const absl::Status& status, absl::string_view type_url) {
  auto payload = status.GetPayload(type_url);  // absl::optional, not std::optional here
  if (!payload.has_value()) return std::nullopt;
  Message message;
  if (!message.ParseFromString(std::string(*payload))) return std::nullopt;
  return message;
}

}  // namespace

void FieldViolations::Add(absl::string_view field, absl::string_view rule) {
  auto* violation = details_.add_field_violations();
  violation->set_field(std::string(field));
  violation->set_description(std::string(rule));
}

void FieldViolations::AddFrom(const absl::Status& status) {
  for (const auto& violation : FieldViolationsOf(status)) {
    Add(violation.field(), violation.description());
  }
}

absl::Status FieldViolations::ToStatus() const {
  if (empty()) return absl::OkStatus();
  std::vector<std::string> parts;
  for (const auto& violation : details_.field_violations()) {
    parts.push_back(absl::StrCat(violation.field(), ": ", violation.description()));
  }
  absl::Status status = absl::InvalidArgumentError(absl::StrJoin(parts, "; "));
  status.SetPayload(kBadRequestTypeUrl, absl::Cord(details_.SerializeAsString()));
  return status;
}

void PreconditionViolations::Add(absl::string_view type, absl::string_view subject,
                                 absl::string_view description) {
  auto* violation = details_.add_violations();
  violation->set_type(std::string(type));
  violation->set_subject(std::string(subject));
  violation->set_description(std::string(description));
}

absl::Status PreconditionViolations::ToStatus(absl::string_view summary) const {
  if (empty()) return absl::OkStatus();
  std::vector<std::string> parts;
  for (const auto& violation : details_.violations()) {
    parts.push_back(
        absl::StrCat(violation.type(), " (", violation.subject(), "): ", violation.description()));
  }
  absl::Status status =
      absl::FailedPreconditionError(absl::StrCat(summary, ": ", absl::StrJoin(parts, "; ")));
  status.SetPayload(kPreconditionFailureTypeUrl, absl::Cord(details_.SerializeAsString()));
  return status;
}

absl::Status InvalidArgumentError(absl::string_view field, absl::string_view rule) {
  FieldViolations violations;
  violations.Add(field, rule);
  return violations.ToStatus();
}

absl::Status WithErrorInfo(absl::Status status, absl::string_view reason,
                           absl::string_view domain) {
  if (status.ok()) return status;
  common::v1::ErrorInfo info;
  info.set_reason(std::string(reason));
  info.set_domain(std::string(domain));
  status.SetPayload(kErrorInfoTypeUrl, absl::Cord(info.SerializeAsString()));
  return status;
}

std::vector<common::v1::BadRequest::FieldViolation> FieldViolationsOf(const absl::Status& status) {
  auto details = PayloadOf<common::v1::BadRequest>(status, kBadRequestTypeUrl);
  if (!details.has_value()) return {};
  return {details->field_violations().begin(), details->field_violations().end()};
}

std::vector<common::v1::PreconditionFailure::Violation> PreconditionViolationsOf(
    const absl::Status& status) {
  auto details = PayloadOf<common::v1::PreconditionFailure>(status, kPreconditionFailureTypeUrl);
  if (!details.has_value()) return {};
  return {details->violations().begin(), details->violations().end()};
}

std::string ErrorReasonOf(const absl::Status& status) {
  auto info = PayloadOf<common::v1::ErrorInfo>(status, kErrorInfoTypeUrl);
  return info.has_value() ? info->reason() : std::string();
}

std::vector<std::string> ViolatedFields(const absl::Status& status) {
  std::vector<std::string> fields;
  for (const auto& violation : FieldViolationsOf(status)) fields.push_back(violation.field());
  return fields;
}

}  // namespace homecare
