// carectl's default output: each response of the roster and scheduling services as a person
// reads it, with names beside the ids (from a Directory the command fills before rendering),
// times in the tenant's zone and an empty list said in words. `--json` bypasses all of this.
// No gRPC here, so all of it is tested.
#ifndef HOMECARE_TOOLS_CARECTL_RENDER_H_
#define HOMECARE_TOOLS_CARECTL_RENDER_H_

#include <map>
#include <string>

#include "absl/time/time.h"
#include "google/protobuf/repeated_ptr_field.h"
#include "homecare/roster/v1/roster.pb.h"
#include "homecare/scheduling/v1/scheduling.pb.h"

namespace homecare::carectl {

// What a rendering needs beyond the response: the tenant's zone and the names of the ids the
// response holds. An id missing here is shown as it is.
struct Directory {
  absl::TimeZone zone = absl::UTCTimeZone();
  std::map<std::string, std::string> localities;
  std::map<std::string, std::string> employers;  // sub-contractors
  std::map<std::string, std::string> carers;
  std::map<std::string, std::string> clients;

  // Fills the zone, localities and employers from the tenant; UTC when its zone does not load.
  void AddTenant(const roster::v1::Tenant& tenant);
};

template <typename T>
using Repeated = google::protobuf::RepeatedPtrField<T>;

std::string RenderTenant(const roster::v1::Tenant& tenant);

std::string RenderCarer(const roster::v1::Carer& carer, const Directory& directory);
// A table, then "more: --page-token ..." when there is a next page; `empty` when none.
std::string RenderCarers(const Repeated<roster::v1::Carer>& carers,
                         const std::string& next_page_token, const Directory& directory,
                         const std::string& empty);
std::string EmptyCarersMessage(const roster::v1::ListCarersRequest& request);
std::string EmptyEligibleMessage(const roster::v1::ListEligibleCarersRequest& request);

std::string RenderAvailability(const roster::v1::Availability& availability,
                               const Directory& directory);
std::string RenderAbsence(const roster::v1::Absence& absence, const Directory& directory);
std::string RenderAbsences(const roster::v1::ListAbsencesResponse& response,
                           const Directory& directory, const std::string& empty);
std::string EmptyAbsencesMessage(const roster::v1::ListAbsencesRequest& request);

std::string RenderClient(const scheduling::v1::Client& client, const Directory& directory);
std::string RenderClients(const scheduling::v1::ListClientsResponse& response,
                          const Directory& directory, const std::string& empty);
std::string EmptyClientsMessage(const scheduling::v1::ListClientsRequest& request);

std::string RenderCarePlan(const scheduling::v1::CarePlan& plan, const Directory& directory);
std::string RenderCarePlans(const scheduling::v1::ListCarePlansResponse& response,
                            const Directory& directory, const std::string& empty);
std::string EmptyCarePlansMessage(const scheduling::v1::ListCarePlansRequest& request);
std::string RenderGenerated(const scheduling::v1::GenerateVisitsResponse& response);

std::string RenderVisit(const scheduling::v1::Visit& visit, const Directory& directory);
std::string RenderVisits(const scheduling::v1::ListVisitsResponse& response,
                         const Directory& directory, const std::string& empty);
// `whole_day`: the request is one local day (`--date`).
std::string EmptyVisitsMessage(const scheduling::v1::ListVisitsRequest& request, bool whole_day);

// The visit as assigned, then each soft rule it bends.
std::string RenderAssignment(const scheduling::v1::AssignCarersResponse& response,
                             const Directory& directory);
// `table`: a line per visit with the day's figures after it; otherwise each day's visits with
// what the carer needs at the door (address, access, tasks, who else comes). The rota carries
// its own names; the directory gives the zone.
std::string RenderRota(const scheduling::v1::Rota& rota, const Directory& directory, bool table);
// One line per change, for `visits watch`.
std::string RenderVisitChange(const scheduling::v1::VisitChange& change,
                              const Directory& directory);
// One AutoSchedule update: a progress line, or the plan (each assignment with its local start
// and carers, then the visits left unassigned with why, then the totals).
std::string RenderAutoScheduleUpdate(const scheduling::v1::AutoScheduleUpdate& update,
                                     const Directory& directory);
std::string RenderSchedulingSettings(const scheduling::v1::SchedulingSettings& settings,
                                     const Directory& directory);

}  // namespace homecare::carectl

#endif  // HOMECARE_TOOLS_CARECTL_RENDER_H_
