// Rich errors in domain code: which field broke which rule, every precondition that failed.
//
// Domain code returns absl::Status; the details ride along as payloads keyed by type URL, so no
// gRPC header is needed here. The gRPC adapter (common/server/grpc_status.h) copies every payload
// into the `grpc-status-details-bin` trailer as a google.rpc.Status, with the standard names
// (proto/google/rpc/), so that every client's status library unpacks them.
//
// An error reaches a client in its metadata, and every gRPC client reads at most 8 KiB of it by
// default, so what one error carries is capped: the first violations in full (each text cut at
// kMaxViolationTextBytes), as many as fit in kMaxDetailBytes, then a count of the rest.
#ifndef HOMECARE_COMMON_STATUS_ERRORS_H_
#define HOMECARE_COMMON_STATUS_ERRORS_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "google/rpc/error_details.pb.h"

namespace homecare {

inline constexpr absl::string_view kBadRequestTypeUrl = "type.googleapis.com/google.rpc.BadRequest";
inline constexpr absl::string_view kPreconditionFailureTypeUrl =
    "type.googleapis.com/google.rpc.PreconditionFailure";
inline constexpr absl::string_view kErrorInfoTypeUrl = "type.googleapis.com/google.rpc.ErrorInfo";

// How much of an error is sent (see the top of this file).
inline constexpr int kMaxViolationsInMessage = 5;
inline constexpr size_t kMaxViolationTextBytes = 200;
inline constexpr size_t kMaxDetailBytes = 2048;
// The status message as a whole (grpc-message is percent-encoded: up to 3 bytes a byte).
inline constexpr size_t kMaxMessageBytes = 1024;

// Collects every invalid field of a request, so that one answer names them all.
class FieldViolations {
 public:
  // `field` is a path into the request ("carer.home.latitude"); `rule` says what was expected.
  void Add(absl::string_view field, absl::string_view rule);
  // Adds every field violation `status` carries (none for OK).
  void AddFrom(const absl::Status& status);
  bool empty() const { return details_.field_violations().empty(); }
  int size() const { return details_.field_violations_size(); }
  // OK when nothing was added; otherwise INVALID_ARGUMENT listing each field and rule (capped).
  absl::Status ToStatus() const;

 private:
  google::rpc::BadRequest details_;
};

// Collects every rule that stops a request in the current state (an assignment refused because
// the carer lacks a skill *and* is absent).
class PreconditionViolations {
 public:
  // `type` is a stable UPPER_SNAKE rule name; `subject` what it is about ("carers/c-12").
  void Add(absl::string_view type, absl::string_view subject, absl::string_view description);
  bool empty() const { return details_.violations().empty(); }
  int size() const { return details_.violations_size(); }
  // OK when nothing was added; otherwise FAILED_PRECONDITION listing each violation (capped).
  absl::Status ToStatus(absl::string_view summary) const;

 private:
  google::rpc::PreconditionFailure details_;
};

// INVALID_ARGUMENT for a single field.
absl::Status InvalidArgumentError(absl::string_view field, absl::string_view rule);

// Attaches a machine-readable reason to a non-OK status (UNAVAILABLE with "REDIS_UNAVAILABLE").
absl::Status WithErrorInfo(absl::Status status, absl::string_view reason, absl::string_view domain);

// Read back what the helpers above attached; empty when absent. Used by the gRPC adapter's tests
// and by callers that need the reason.
std::vector<google::rpc::BadRequest::FieldViolation> FieldViolationsOf(const absl::Status& status);
std::vector<google::rpc::PreconditionFailure::Violation> PreconditionViolationsOf(
    const absl::Status& status);
std::string ErrorReasonOf(const absl::Status& status);
// Just the fields of FieldViolationsOf, in order: what tests and logs usually want.
std::vector<std::string> ViolatedFields(const absl::Status& status);

}  // namespace homecare

#endif  // HOMECARE_COMMON_STATUS_ERRORS_H_
