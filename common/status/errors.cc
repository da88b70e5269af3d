#include "common/status/errors.h"

#include <optional>
#include <utility>

#include "absl/strings/cord.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/text/utf8.h"

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

std::string Clip(absl::string_view text) { return ClipUtf8(text, kMaxViolationTextBytes); }

// The status of `all` violations: the first kMaxViolationsInMessage in the message (after
// `summary`, when there is one), as many as fit in kMaxDetailBytes in the details, and how many
// more there were. `line` renders one violation for the message.
template <typename Details, typename Violation, typename Line>
absl::Status CappedStatus(absl::StatusCode code, absl::string_view summary,
                          const google::protobuf::RepeatedPtrField<Violation>& all,
                          google::protobuf::RepeatedPtrField<Violation>* (Details::*list)(),
                          absl::string_view type_url, Line line) {
  Details sent;
  size_t bytes = 0;
  for (const Violation& violation : all) {
    // Each repeated element costs its size plus a tag and a length of a few bytes.
    size_t cost = violation.ByteSizeLong() + 4;
    if (bytes + cost > kMaxDetailBytes) break;
    *(sent.*list)()->Add() = violation;
    bytes += cost;
  }
  std::vector<std::string> lines;
  for (const Violation& violation : all) {
    if (lines.size() == kMaxViolationsInMessage) break;
    lines.push_back(line(violation));
  }
  std::string message = absl::StrJoin(lines, "; ");
  if (!summary.empty()) message = absl::StrCat(summary, ": ", message);
  int listed = (sent.*list)()->size();
  if (all.size() > static_cast<int>(lines.size())) {
    absl::StrAppend(&message, "; and ", all.size() - lines.size(), " more");
    if (listed < all.size()) {
      absl::StrAppend(&message, " (", all.size(), " in all; the error details list the first ",
                      listed, ")");
    } else {
      absl::StrAppend(&message, " in the error details");
    }
  }
  absl::Status status(code, ClipUtf8(message, kMaxMessageBytes));
  status.SetPayload(type_url, absl::Cord(sent.SerializeAsString()));
  return status;
}

}  // namespace

void FieldViolations::Add(absl::string_view field, absl::string_view rule) {
  auto* violation = details_.add_field_violations();
  violation->set_field(Clip(field));
  violation->set_description(Clip(rule));
}

void FieldViolations::AddFrom(const absl::Status& status) {
  for (const auto& violation : FieldViolationsOf(status)) {
    Add(violation.field(), violation.description());
  }
}

absl::Status FieldViolations::ToStatus() const {
  if (empty()) return absl::OkStatus();
  return CappedStatus(absl::StatusCode::kInvalidArgument, "", details_.field_violations(),
                      &google::rpc::BadRequest::mutable_field_violations, kBadRequestTypeUrl,
                      [](const google::rpc::BadRequest::FieldViolation& violation) {
                        return absl::StrCat(violation.field(), ": ", violation.description());
                      });
}

void PreconditionViolations::Add(absl::string_view type, absl::string_view subject,
                                 absl::string_view description) {
  auto* violation = details_.add_violations();
  violation->set_type(Clip(type));
  violation->set_subject(Clip(subject));
  violation->set_description(Clip(description));
}

absl::Status PreconditionViolations::ToStatus(absl::string_view summary) const {
  if (empty()) return absl::OkStatus();
  return CappedStatus(absl::StatusCode::kFailedPrecondition, summary, details_.violations(),
                      &google::rpc::PreconditionFailure::mutable_violations,
                      kPreconditionFailureTypeUrl,
                      [](const google::rpc::PreconditionFailure::Violation& violation) {
                        return absl::StrCat(violation.type(), " (", violation.subject(),
                                            "): ", violation.description());
                      });
}

absl::Status InvalidArgumentError(absl::string_view field, absl::string_view rule) {
  FieldViolations violations;
  violations.Add(field, rule);
  return violations.ToStatus();
}

absl::Status WithErrorInfo(absl::Status status, absl::string_view reason,
                           absl::string_view domain) {
  if (status.ok()) return status;
  google::rpc::ErrorInfo info;
  info.set_reason(Clip(reason));
  info.set_domain(Clip(domain));
  status.SetPayload(kErrorInfoTypeUrl, absl::Cord(info.SerializeAsString()));
  return status;
}

std::vector<google::rpc::BadRequest::FieldViolation> FieldViolationsOf(const absl::Status& status) {
  auto details = PayloadOf<google::rpc::BadRequest>(status, kBadRequestTypeUrl);
  if (!details.has_value()) return {};
  return {details->field_violations().begin(), details->field_violations().end()};
}

std::vector<google::rpc::PreconditionFailure::Violation> PreconditionViolationsOf(
    const absl::Status& status) {
  auto details = PayloadOf<google::rpc::PreconditionFailure>(status, kPreconditionFailureTypeUrl);
  if (!details.has_value()) return {};
  return {details->violations().begin(), details->violations().end()};
}

std::string ErrorReasonOf(const absl::Status& status) {
  auto info = PayloadOf<google::rpc::ErrorInfo>(status, kErrorInfoTypeUrl);
  return info.has_value() ? info->reason() : std::string();
}

std::vector<std::string> ViolatedFields(const absl::Status& status) {
  std::vector<std::string> fields;
  for (const auto& violation : FieldViolationsOf(status)) fields.push_back(violation.field());
  return fields;
}

}  // namespace homecare
