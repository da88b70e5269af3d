// The gRPC adapter of homecare.checkin.v1.CheckInService: authorise, pick the tenant from the
// token, call CheckIns (the domain operations), map the result. Nothing else lives here.
#ifndef HOMECARE_SERVICES_CHECKIN_CHECKIN_SERVICE_H_
#define HOMECARE_SERVICES_CHECKIN_CHECKIN_SERVICE_H_

#include "common/server/call_runner.h"
#include "common/server/event_watch.h"
#include "common/time/time.h"
#include "homecare/checkin/v1/checkin.grpc.pb.h"
#include "services/checkin/checkin.h"
#include "services/checkin/checkin_store.h"
#include "services/checkin/visit_source.h"

namespace homecare::checkin {

class CheckInService final : public v1::CheckInService::CallbackService {
 public:
  // All must outlive the service.
  CheckInService(CallRunner* calls, Watches* watches, CheckInStore* store, VisitSource* visits,
                 const Clock* clock)
      : calls_(*calls), watches_(*watches), store_(*store), checkins_(store, visits, clock) {}

  grpc::ServerUnaryReactor* CheckIn(grpc::CallbackServerContext* context,
                                    const v1::CheckInRequest* request,
                                    v1::CheckInResponse* response) override;
  grpc::ServerUnaryReactor* CheckOut(grpc::CallbackServerContext* context,
                                     const v1::CheckOutRequest* request,
                                     v1::CheckOutResponse* response) override;
  grpc::ServerUnaryReactor* SyncEvents(grpc::CallbackServerContext* context,
                                       const v1::SyncEventsRequest* request,
                                       v1::SyncEventsResponse* response) override;
  grpc::ServerUnaryReactor* GetVisitRecord(grpc::CallbackServerContext* context,
                                           const v1::GetVisitRecordRequest* request,
                                           v1::VisitRecord* response) override;
  grpc::ServerUnaryReactor* ListVisitRecords(grpc::CallbackServerContext* context,
                                             const v1::ListVisitRecordsRequest* request,
                                             v1::ListVisitRecordsResponse* response) override;
  grpc::ServerUnaryReactor* AdjustVisitRecord(grpc::CallbackServerContext* context,
                                              const v1::AdjustVisitRecordRequest* request,
                                              v1::VisitRecord* response) override;
  grpc::ServerUnaryReactor* GetPolicy(grpc::CallbackServerContext* context,
                                      const v1::GetPolicyRequest* request,
                                      v1::CheckInPolicy* response) override;
  grpc::ServerUnaryReactor* UpdatePolicy(grpc::CallbackServerContext* context,
                                         const v1::UpdatePolicyRequest* request,
                                         v1::CheckInPolicy* response) override;
  grpc::ServerUnaryReactor* RegisterTag(grpc::CallbackServerContext* context,
                                        const v1::RegisterTagRequest* request,
                                        v1::Tag* response) override;
  grpc::ServerUnaryReactor* RetireTag(grpc::CallbackServerContext* context,
                                      const v1::RetireTagRequest* request,
                                      v1::Tag* response) override;
  grpc::ServerUnaryReactor* ListTags(grpc::CallbackServerContext* context,
                                     const v1::ListTagsRequest* request,
                                     v1::ListTagsResponse* response) override;

  grpc::ServerWriteReactor<v1::AlertEvent>* WatchAlerts(
      grpc::CallbackServerContext* context, const v1::WatchAlertsRequest* request) override;
  grpc::ServerUnaryReactor* ListAlerts(grpc::CallbackServerContext* context,
                                       const v1::ListAlertsRequest* request,
                                       v1::ListAlertsResponse* response) override;
  grpc::ServerUnaryReactor* AcknowledgeAlert(grpc::CallbackServerContext* context,
                                             const v1::AcknowledgeAlertRequest* request,
                                             v1::Alert* response) override;
  grpc::ServerUnaryReactor* ResolveAlert(grpc::CallbackServerContext* context,
                                         const v1::ResolveAlertRequest* request,
                                         v1::Alert* response) override;

  grpc::ServerUnaryReactor* GetBoard(grpc::CallbackServerContext* context,
                                     const v1::GetBoardRequest* request,
                                     v1::Board* response) override;
  grpc::ServerWriteReactor<v1::BoardChange>* WatchBoard(
      grpc::CallbackServerContext* context, const v1::WatchBoardRequest* request) override;

  // The domain operations, for the service's background work (following the visit stream,
  // running the alert checks).
  CheckIns& checkins() { return checkins_; }

 private:
  CallRunner& calls_;
  Watches& watches_;
  CheckInStore& store_;
  CheckIns checkins_;
};

}  // namespace homecare::checkin

#endif  // HOMECARE_SERVICES_CHECKIN_CHECKIN_SERVICE_H_
