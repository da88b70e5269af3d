// The scheduling engine's model of one provider day, built from the service's own data and the
// roster's, and the plan read back from the engine's solution. Pure: no gRPC, no Redis.
//
// Times are minutes from the start of the local day in the tenant's zone, counted in real
// (absolute) minutes, so that the days the clocks change have 23 or 25 hours. Travel is
// EstimateTravel's, by each carer's mode (one matrix per mode that a carer uses). A carer's
// availability that day, less their absences and the visits they are already committed to, is
// one or more stretches (a split shift), each a route of the engine; the stretches of one carer
// share the carer's max_minutes_per_day. The engine counts the legs from and to home in a
// stretch and in its working time, where the assignment rules do not: its plans are the
// stricter, so that each assignment it makes passes the rules when applied.
#ifndef HOMECARE_SERVICES_SCHEDULING_AUTOSCHEDULE_MODEL_H_
#define HOMECARE_SERVICES_SCHEDULING_AUTOSCHEDULE_MODEL_H_

#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "homecare/roster/v1/roster.pb.h"
#include "homecare/scheduling/v1/scheduling.pb.h"
#include "services/scheduling/solver/model.h"
#include "services/scheduling/solver/solver.h"

namespace homecare::scheduling {

// Continuity: a carer's visits to a client in the kContinuityDays before the day count, each
// by half every kContinuityHalfLifeDays of age; the client knows the carer as well as that sum
// says, up to 1 (fully).
inline constexpr int kContinuityDays = 28;
inline constexpr double kContinuityHalfLifeDays = 7;
// The rota rolls over: a visit's usual carers, as many as it needs, are those who made the same
// call in the kRotaDays before and have a stretch that day that can hold it: first who made it
// on the same weekday (a weekly pattern of shifts and days off repeats), then who made it on
// the most days, then most recently. A call of no care-plan pattern is the same as one whose
// window opens within kUsualCallMinutes of the same time of day (round midnight too).
inline constexpr int kRotaDays = 7;
// A client who has met AutoScheduleWeights.fortnight_carers_threshold carers or more in the
// kFortnightDays up to the day (the day itself included, so its history's last 13 days): a
// carer new to them costs continuity kManyCarersContinuityFactor times over (scaled down as
// for any carer by how well the client knows them). The day's new faces, covers for carers
// off, then go to clients who have met few. Councils count carers per client over a fortnight.
inline constexpr int kFortnightDays = 14;
inline constexpr double kManyCarersContinuityFactor = 10;
// Covers who fit the week. A call whose usual carers cannot all come today needs a carer the
// client may not know; its regulars (the first of its usual carers, working today or not)
// will be off on some of the kRotaDays - 1 days ahead too. A carer new to the client who is
// free at the call's time on those days can come back then, as a face the client has met; so
// the kCoversPerMissingCarer of them free on the most of those days (then those whose homes are
// nearest the client by road, whatever their own mode: a walker who lives near works near)
// count as known by kCoverFamiliarity times the share of the days they are free: cheaper than
// other new faces, dearer than a carer the client has met once.
inline constexpr int kCoversPerMissingCarer = 3;
inline constexpr double kCoverFamiliarity = 0.6;
// When not every visit fits, a time-critical one (medication at a prescribed time) left
// unassigned counts as this many others, so the engine leaves another in its place where it can.
inline constexpr double kTimeCriticalUnassignedFactor = 3;
inline constexpr int kUsualCallMinutes = 60;

struct AutoScheduleInput {
  absl::CivilDay date;
  absl::TimeZone zone;
  // Visits that have started by now are kept as they are.
  absl::Time now;
  // In force (EffectiveSettings): travel, and the weights of continuity and the clients'
  // preferences against a minute of travel or lateness.
  const v1::SchedulingSettings* settings = nullptr;
  // The visits to plan: those of `date` (and the locality asked for), any status.
  std::vector<v1::Visit> visits;
  // Their clients (others are ignored).
  std::vector<v1::Client> clients;
  // The carers who may be given visits, with their availability and their absences around the
  // day and in the kRotaDays after it (for covers who fit the week). Inactive ones are left out.
  absl::flat_hash_map<std::string, roster::v1::CarerDetails> carers;
  // Those carers' other visits around the day (other localities, the days either side), which
  // they keep: each takes its time out of the carer's stretches.
  std::vector<v1::Visit> commitments;
  // The clients' visits of the kContinuityDays before `date`, for continuity.
  std::vector<v1::Visit> history;
  // Whether the carers the scheduler placed (Visit.auto_scheduled_carer_ids) may move, as in a
  // whole day's AutoSchedule; a repair keeps every carer where they are.
  bool move_scheduled_carers = true;
  // Whether covers who fit the week count as partly known (kCoverFamiliarity): off only to
  // weigh them (the provider-day benchmark's --covers=false).
  bool covers_who_fit_the_week = true;
};

// A visit the engine was not given, or could not place, with why.
struct LeftOut {
  std::string visit_id;
  std::string reason;
};

struct SolverModel {
  solver::Problem problem;
  solver::ObjectiveWeights weights;
  absl::Time origin;  // minute 0: the start of `date` in the zone
  // By the engine's visit index: the visit (and its version as read).
  std::vector<std::string> visit_ids;
  std::vector<int64_t> visit_versions;
  // By the engine's visit index, as read: the carers on the visit, those of them the scheduler
  // placed (Visit.auto_scheduled_carer_ids: the engine may move them, the others are pinned),
  // and its planned start.
  std::vector<std::vector<std::string>> carer_ids;
  std::vector<std::vector<std::string>> scheduled_carers;
  std::vector<absl::Time> planned_starts;
  // By the engine's client index: how many of its known_carers, the first ones, the client has
  // met; those after are covers who fit the week, new to the client.
  std::vector<int> known_carers_met;
  // By the engine's carer (route) index: whose stretch it is.
  std::vector<std::string> route_carer_ids;
  // Visits kept as they are, with every carer they need and none the scheduler placed
  // (cancelled ones are not planned).
  std::vector<std::string> kept_visit_ids;
  // Visits of the day the engine is not given, with why: those whose planned start has passed
  // short of carers, and double-ups partly staffed by a carer with no stretch that holds them.
  std::vector<LeftOut> left_out;
};

// INVALID_ARGUMENT when `input` lacks settings; FAILED_PRECONDITION when the day's visits need
// more distinct skills than the engine holds (64).
absl::StatusOr<SolverModel> BuildSolverModel(const AutoScheduleInput& input);

// One visit as planned.
struct PlannedVisit {
  std::string visit_id;
  int64_t version = 0;  // as read when the model was built
  std::vector<std::string> carer_ids;
  absl::Time planned_start;
  // For the plan's continuity figures: the client, and how many of carer_ids the client has not
  // seen in kContinuityDays, and how many are not the call's usual carers (solver::Visit's
  // usual_carers: who made it in the last kRotaDays and works at the time).
  std::string client_id;
  int carers_new_to_client = 0;
  int carers_off_rota = 0;
  // The carers the scheduler had placed on the visit before, and its planned start then: on
  // applying, they come off first where the plan gives the visit to others or moves it.
  std::vector<std::string> scheduled_carer_ids;
  absl::Time scheduled_start;
};

struct AutoSchedulePlan {
  std::vector<PlannedVisit> assignments;
  std::vector<LeftOut> unassigned;
  double objective = 0;
  int travel_minutes = 0;
  int lateness_minutes = 0;
};

// The plan in the solution: each visit the engine placed with its carers (a double-up's two)
// and its start (whole minutes, rounded up), the visits left unassigned with the engine's reason
// and those `model` left out. A visit the scheduler had staffed that the engine leaves
// unassigned stays with its carers and time, as an assignment.
AutoSchedulePlan PlanFromSolution(const SolverModel& model, const solver::Solution& solution);

// The plan as the API reports it, with the continuity figures of its assignments.
v1::SchedulePlan PlanToProto(const AutoSchedulePlan& plan);

// The continuity figures of a plan's assignments (once applied, of those made).
v1::PlanContinuity ContinuityOf(
    const google::protobuf::RepeatedPtrField<v1::PlannedAssignment>& assignments);

}  // namespace homecare::scheduling

#endif  // HOMECARE_SERVICES_SCHEDULING_AUTOSCHEDULE_MODEL_H_
