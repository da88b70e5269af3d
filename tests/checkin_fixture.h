// What the check-in service's integration tests share: the scheduling fixture's processes with a
// real homecare-checkin beside them (carectl is pointed at it too), carers Ann and Bob, Edna's
// week, and helpers for phones' events, tags and records. The including test target defines
// HOMECARE_CHECKIN_BINARY beside the scheduling fixture's binaries.
#ifndef HOMECARE_TESTS_CHECKIN_FIXTURE_H_
#define HOMECARE_TESTS_CHECKIN_FIXTURE_H_

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "homecare/checkin/v1/checkin.grpc.pb.h"
#include "tests/scheduling_fixture.h"

namespace homecare::testing {

namespace cv1 = checkin::v1;
using CheckInStub = cv1::CheckInService::Stub;

inline std::vector<cv1::ExceptionKind> Kinds(
    const google::protobuf::RepeatedPtrField<cv1::VisitException>& exceptions) {
  std::vector<cv1::ExceptionKind> kinds;
  for (const cv1::VisitException& exception : exceptions) kinds.push_back(exception.kind());
  return kinds;
}

class CheckInFixture : public SchedulingFixture {
 protected:
  void SetUp() override {
    SchedulingFixture::SetUp();
    if (HasFatalFailure()) return;
    auto checkin = StartCheckIn();
    ASSERT_TRUE(checkin.ok()) << checkin.status();
    checkin_ = *std::move(checkin);
    checkin_address_ = checkin_->address();
    checkin_stub_ = cv1::CheckInService::NewStub(checkin_->NewChannel());
    ann_ = CreateCarer("Ann", {"medication"});
    bob_ = CreateCarer("Bob", {"medication"});
    week_ = EdnasWeek();
  }

  absl::StatusOr<std::unique_ptr<ServiceProcess>> StartCheckIn() {
    return ServiceProcess::Start(
        {.binary = HOMECARE_CHECKIN_BINARY,
         .args = WithRedis({"--secret-file", secret_.path(), "--scheduling", scheduling_->address(),
                            "--scheduling-timeout", "1s", "--redis-timeout", "500ms",
                            "--redis-breaker-open", "200ms"}),
         .clock = &clock_});
  }

  std::string CarerToken(const rv1::Carer& carer, const std::string& tenant = kSunrise) const {
    return secret_.Token(Role::kCarer, tenant, carer.carer_id());
  }

  template <typename Request, typename Response>
  grpc::Status CheckInCall(grpc::Status (CheckInStub::*method)(grpc::ClientContext*, const Request&,
                                                               Response*),
                           const std::string& token, const Request& request, Response* response) {
    grpc::ClientContext context;
    PrepareContext(context, token, absl::Seconds(10));
    return (checkin_stub_.get()->*method)(&context, request, response);
  }

  // A phone's event tapped at `at` and sent at once, its clock right; from Edna's door.
  template <typename Request>
  Request Event(const std::string& event_id, const std::string& visit_id, absl::Time at,
                cv1::CheckInMethod method = cv1::CHECK_IN_METHOD_GPS) {
    Request request;
    request.set_event_id(event_id);
    request.set_visit_id(visit_id);
    request.set_method(method);
    request.mutable_location()->set_latitude(51.5201);
    request.mutable_location()->set_longitude(-0.1);
    request.set_accuracy_meters(8);
    *request.mutable_device_time() = TimeToProto(at);
    *request.mutable_sent_time() = TimeToProto(at);
    return request;
  }

  cv1::Tag Register(cv1::TagKind kind, const std::string& payload) {
    cv1::RegisterTagRequest request;
    request.set_request_id(absl::StrCat("tag-", payload));
    request.mutable_tag()->set_client_id(week_.client.client_id());
    request.mutable_tag()->set_kind(kind);
    request.mutable_tag()->set_payload(payload);
    request.mutable_tag()->set_label("kitchen");
    cv1::Tag tag;
    EXPECT_THAT(CheckInCall(&CheckInStub::RegisterTag, Coordinator(), request, &tag), GrpcOk());
    return tag;
  }

  cv1::VisitRecord Record(const std::string& visit_id, const std::string& token = "") {
    cv1::GetVisitRecordRequest request;
    request.set_visit_id(visit_id);
    cv1::VisitRecord record;
    EXPECT_THAT(CheckInCall(&CheckInStub::GetVisitRecord, token.empty() ? Coordinator() : token,
                            request, &record),
                GrpcOk());
    return record;
  }

  // Waits until the check-in service's record of `visit_id` satisfies `done`: what it learns
  // from the visit stream comes a moment after scheduling writes it.
  cv1::VisitRecord AwaitRecord(const std::string& visit_id,
                               const std::function<bool(const cv1::VisitRecord&)>& done) {
    const absl::Time give_up = absl::Now() + absl::Seconds(20);
    cv1::VisitRecord record;
    do {
      record = Record(visit_id);
      if (done(record)) return record;
      absl::SleepFor(absl::Milliseconds(20));
    } while (absl::Now() < give_up);
    ADD_FAILURE() << "the record never got there: " << record.DebugString();
    return record;
  }

  std::unique_ptr<ServiceProcess> checkin_;
  std::unique_ptr<CheckInStub> checkin_stub_;
  rv1::Carer ann_;
  rv1::Carer bob_;
  Week week_;
};

}  // namespace homecare::testing

#endif  // HOMECARE_TESTS_CHECKIN_FIXTURE_H_
