// A carer's day as their phone would play it: from the carer's rota (GetRota), the events the
// phone makes (check-in at the client's door with GPS noise, check-out with the visit's tasks),
// when the carer taps each one, and which are held in an offline queue and sent later in one
// batch. Pure logic, no gRPC: homecare-carer-sim sends what this plans.
//
// Every random choice comes from the seed, the carer and the visit, so the same seed and rota
// give the same events byte for byte, with the same event ids: a rerun retries the same events
// and the check-in service answers each with `duplicate`.
#ifndef HOMECARE_TOOLS_CARER_SIM_DAY_PLAN_H_
#define HOMECARE_TOOLS_CARER_SIM_DAY_PLAN_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "homecare/checkin/v1/checkin.pb.h"
#include "homecare/scheduling/v1/scheduling.pb.h"

namespace homecare::carer_sim {

struct DayPlanOptions {
  uint64_t seed = 1;
  // The standard deviation of the GPS fix around the client's location, in metres: the offset
  // has a random direction and a length of |N(0, noise)|, capped at kMaxNoiseDeviations times
  // the noise. It is also the accuracy the phone reports.
  double gps_noise_meters = 15;
  // The carer arrives 0 to this many minutes (uniformly, to the second) after the planned start,
  // or later when the previous visit and the travel from it run on.
  int late_up_to_minutes = 10;
  // Events tapped in [offline_from, offline_until) are queued on the phone and sent in one batch
  // (SyncEvents) at offline_until, when the signal comes back. Both unset: always online.
  std::optional<absl::Time> offline_from;
  std::optional<absl::Time> offline_until;
  // The share of visits (0 to 1) checked out with every task done; on the others the client
  // declines one of the visit's tasks (TASK_STATUS_REFUSED).
  double all_tasks_done_share = 0.9;
};

// The cap on the GPS offset, in standard deviations.
inline constexpr double kMaxNoiseDeviations = 4;

// One event the phone makes.
struct PlannedEvent {
  checkin::v1::QueuedEvent event;  // sent_time unset: the phone sets it when it sends
  std::string visit_id;
  bool is_check_out = false;
  absl::Time device_time;  // when the carer taps
  bool offline = false;    // held for the offline batch
  absl::Time send_time;    // device_time, or the end of the offline stretch
};

struct DayPlan {
  std::string carer_id;
  std::vector<PlannedEvent> events;  // in the order the carer taps them
  // When the offline batch is sent (the end of the stretch); unset when no event is queued.
  std::optional<absl::Time> batch_send_time;
  int visits_played = 0;
  // The rota's visits not played, each with why ("cancelled").
  std::vector<std::string> skipped;
};

// What the phone sends in one call: one event live, or a batch of queued ones.
struct Send {
  absl::Time at;             // by the phone's clock
  bool batch = false;        // SyncEvents rather than CheckIn/CheckOut
  std::vector<int> indexes;  // into DayPlan::events, in tap order
};

// INVALID_ARGUMENT for options that make no sense (negative noise or lateness, a share outside
// 0 to 1, an offline stretch with one end or ending before it starts).
absl::Status ValidateOptions(const DayPlanOptions& options);

// The carer's day from their rota (every entry is played: ask GetRota for the one day), in the
// order of planned start. A visit the carer shares (a double-up) is played for the carer's own
// slot only. Cancelled visits are skipped.
absl::StatusOr<DayPlan> PlanDay(const scheduling::v1::Rota& rota, const DayPlanOptions& options);

// The plan's calls in the order the phone makes them: each live event at its tap, and the batch
// (split into batches of at most `max_batch`) when the stretch ends, before any event tapped
// then.
std::vector<Send> SendOrder(const DayPlan& plan, int max_batch = 100);

// A UUID-shaped id (version 8, RFC 9562's custom layout) from SHA-256 of `parts`: the same parts
// always give the same id.
std::string DeterministicUuid(const std::vector<std::string>& parts);

}  // namespace homecare::carer_sim

#endif  // HOMECARE_TOOLS_CARER_SIM_DAY_PLAN_H_
