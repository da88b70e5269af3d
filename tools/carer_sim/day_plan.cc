#include "tools/carer_sim/day_plan.h"

#include <algorithm>
#include <cmath>
#include <numbers>

#include "absl/algorithm/container.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/geo/geo.h"
#include "common/ids/ids.h"
#include "common/time/time.h"

namespace homecare::carer_sim {
namespace {

namespace cv1 = checkin::v1;
namespace sv1 = scheduling::v1;

// SplitMix64, seeded from SHA-256 of the parts: small, fast, and the same on every platform and
// standard library (std::normal_distribution is not), so a seed means the same day everywhere.
class Rng {
 public:
  explicit Rng(const std::vector<std::string>& parts) {
    const std::string hex = Sha256Hex(absl::StrJoin(parts, "\x1f"));
    uint64_t state = 0;
    (void)absl::SimpleHexAtoi(absl::string_view(hex).substr(0, 16), &state);
    state_ = state;
  }

  uint64_t Next() {
    uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  // In [0, 1).
  double Uniform() { return static_cast<double>(Next() >> 11) * 0x1.0p-53; }
  // In [low, high].
  int64_t UniformInt(int64_t low, int64_t high) {
    if (high <= low) return low;
    return low + static_cast<int64_t>(Next() % static_cast<uint64_t>(high - low + 1));
  }
  // A standard normal deviate (Box-Muller).
  double Normal() {
    const double u1 = 1.0 - Uniform();  // (0, 1]: log(0) never happens
    const double u2 = Uniform();
    return std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * std::numbers::pi * u2);
  }

 private:
  uint64_t state_ = 0;
};

constexpr const char* kNotes[] = {
    "All well today.",
    "Client in good spirits; ate well.",
    "Quiet visit; client tired but comfortable.",
    "Chatted about the family; no concerns.",
    "Tidied the kitchen before leaving.",
};

struct Fix {
  common::v1::GeoPoint location;
  double accuracy_meters = 0;
};

Fix Noisy(Rng& rng, const common::v1::GeoPoint& at, double noise_meters) {
  const double bearing = 2.0 * std::numbers::pi * rng.Uniform();
  const double meters =
      std::min(std::abs(rng.Normal()) * noise_meters, kMaxNoiseDeviations * noise_meters);
  const LatLng there = DestinationPoint(FromProto(at), meters, bearing);
  common::v1::GeoPoint fix;
  fix.set_latitude(there.latitude);
  fix.set_longitude(there.longitude);
  return {fix, noise_meters};
}

template <typename Request>
void FillCommon(Request& request, const std::string& event_id, const sv1::Visit& visit,
                const Fix& fix, absl::Time device_time) {
  request.set_event_id(event_id);
  request.set_visit_id(visit.visit_id());
  request.set_method(cv1::CHECK_IN_METHOD_GPS);
  *request.mutable_location() = fix.location;
  request.set_accuracy_meters(fix.accuracy_meters);
  *request.mutable_device_time() = TimeToProto(device_time);
}

bool InStretch(const DayPlanOptions& options, absl::Time at) {
  return options.offline_from.has_value() && options.offline_until.has_value() &&
         *options.offline_from <= at && at < *options.offline_until;
}

}  // namespace

absl::Status ValidateOptions(const DayPlanOptions& options) {
  if (!std::isfinite(options.gps_noise_meters) || options.gps_noise_meters < 0 ||
      options.gps_noise_meters > 10000) {
    return absl::InvalidArgumentError("the GPS noise must be from 0 to 10,000 metres");
  }
  if (options.late_up_to_minutes < 0 || options.late_up_to_minutes > 24 * 60) {
    return absl::InvalidArgumentError("the lateness must be from 0 to 1440 minutes");
  }
  if (!(options.all_tasks_done_share >= 0 && options.all_tasks_done_share <= 1)) {
    return absl::InvalidArgumentError("the share of visits with every task done must be 0 to 1");
  }
  if (options.offline_from.has_value() != options.offline_until.has_value()) {
    return absl::InvalidArgumentError("an offline stretch needs both a start and an end");
  }
  if (options.offline_from.has_value() && *options.offline_until <= *options.offline_from) {
    return absl::InvalidArgumentError("the offline stretch must end after it starts");
  }
  return absl::OkStatus();
}

absl::StatusOr<DayPlan> PlanDay(const sv1::Rota& rota, const DayPlanOptions& options) {
  if (absl::Status valid = ValidateOptions(options); !valid.ok()) return valid;
  DayPlan plan;
  plan.carer_id = rota.carer_id();
  std::vector<const sv1::RotaEntry*> entries;
  for (const sv1::RotaEntry& entry : rota.entries()) entries.push_back(&entry);
  absl::c_stable_sort(entries, [](const sv1::RotaEntry* a, const sv1::RotaEntry* b) {
    const auto& x = a->visit().planned_start();
    const auto& y = b->visit().planned_start();
    return x.seconds() != y.seconds() ? x.seconds() < y.seconds() : x.nanos() < y.nanos();
  });

  const std::string seed = absl::StrCat(options.seed);
  std::optional<absl::Time> free_at;  // when the carer left the previous visit
  for (const sv1::RotaEntry* entry : entries) {
    const sv1::Visit& visit = entry->visit();
    if (visit.status() == sv1::VISIT_STATUS_CANCELLED) {
      plan.skipped.push_back(absl::StrCat(visit.visit_id(), ": cancelled"));
      continue;
    }
    if (!plan.carer_id.empty() && !absl::c_linear_search(visit.carer_ids(), plan.carer_id)) {
      plan.skipped.push_back(absl::StrCat(visit.visit_id(), ": the carer is not on it"));
      continue;
    }
    absl::StatusOr<absl::Time> planned =
        TimeFromProto(visit.planned_start(), "visit.planned_start");
    if (!planned.ok()) return planned.status();

    // Every draw for a visit comes from its own stream, so that one visit's events do not
    // change when another visit joins or leaves the rota.
    Rng rng({"carer-sim", seed, plan.carer_id, visit.visit_id()});
    absl::Time arrive =
        *planned + absl::Seconds(rng.UniformInt(0, int64_t{options.late_up_to_minutes} * 60));
    if (free_at.has_value()) {
      arrive = std::max(arrive, *free_at + absl::Minutes(entry->travel_minutes_before()));
    }
    const int64_t stay_seconds =
        std::max<int64_t>(60, int64_t{visit.duration_minutes()} * 60 + rng.UniformInt(-120, 180));
    const absl::Time leave = arrive + absl::Seconds(stay_seconds);
    free_at = leave;
    const Fix in_fix = Noisy(rng, visit.location(), options.gps_noise_meters);
    const Fix out_fix = Noisy(rng, visit.location(), options.gps_noise_meters);
    const bool all_done = rng.Uniform() < options.all_tasks_done_share;
    const int refused = all_done || visit.tasks().empty()
                            ? -1
                            : static_cast<int>(rng.UniformInt(0, visit.tasks_size() - 1));
    const char* note = kNotes[rng.UniformInt(0, std::size(kNotes) - 1)];

    PlannedEvent check_in;
    check_in.visit_id = visit.visit_id();
    check_in.device_time = arrive;
    FillCommon(*check_in.event.mutable_check_in(),
               DeterministicUuid({"carer-sim", seed, plan.carer_id, visit.visit_id(), "in"}), visit,
               in_fix, arrive);

    PlannedEvent check_out;
    check_out.visit_id = visit.visit_id();
    check_out.is_check_out = true;
    check_out.device_time = leave;
    cv1::CheckOutRequest& out = *check_out.event.mutable_check_out();
    FillCommon(out, DeterministicUuid({"carer-sim", seed, plan.carer_id, visit.visit_id(), "out"}),
               visit, out_fix, leave);
    for (int i = 0; i < visit.tasks_size(); ++i) {
      cv1::TaskOutcome& outcome = *out.add_task_outcomes();
      outcome.set_task_id(visit.tasks(i).task_id());
      if (i == refused) {
        outcome.set_status(cv1::TASK_STATUS_REFUSED);
        outcome.set_note("Declined today.");
      } else {
        outcome.set_status(cv1::TASK_STATUS_DONE);
      }
    }
    out.set_visit_outcome(cv1::VISIT_OUTCOME_COMPLETED);
    out.set_note(note);

    for (PlannedEvent* event : {&check_in, &check_out}) {
      event->offline = InStretch(options, event->device_time);
      event->send_time = event->offline ? *options.offline_until : event->device_time;
      if (event->offline) plan.batch_send_time = *options.offline_until;
      plan.events.push_back(std::move(*event));
    }
    ++plan.visits_played;
  }
  absl::c_stable_sort(plan.events, [](const PlannedEvent& a, const PlannedEvent& b) {
    return a.device_time < b.device_time;
  });
  return plan;
}

std::vector<Send> SendOrder(const DayPlan& plan, int max_batch) {
  max_batch = std::max(1, max_batch);
  std::vector<Send> sends;
  for (int i = 0; i < static_cast<int>(plan.events.size()); ++i) {
    const PlannedEvent& event = plan.events[i];
    if (!event.offline) continue;
    if (sends.empty() || static_cast<int>(sends.back().indexes.size()) >= max_batch) {
      sends.push_back({event.send_time, /*batch=*/true, {}});
    }
    sends.back().indexes.push_back(i);
  }
  for (int i = 0; i < static_cast<int>(plan.events.size()); ++i) {
    const PlannedEvent& event = plan.events[i];
    if (!event.offline) sends.push_back({event.send_time, /*batch=*/false, {i}});
  }
  // Batches come first among sends at the same moment: the queue goes out as the signal returns.
  absl::c_stable_sort(sends, [](const Send& a, const Send& b) { return a.at < b.at; });
  return sends;
}

std::string DeterministicUuid(const std::vector<std::string>& parts) {
  std::string hex = Sha256Hex(absl::StrJoin(parts, "\x1f")).substr(0, 32);
  hex[12] = '8';  // version 8: custom
  static constexpr char kVariant[] = "89ab";
  hex[16] = kVariant[(hex[16] >= 'a' ? hex[16] - 'a' + 10 : hex[16] - '0') & 3];
  return absl::StrCat(hex.substr(0, 8), "-", hex.substr(8, 4), "-", hex.substr(12, 4), "-",
                      hex.substr(16, 4), "-", hex.substr(20, 12));
}

}  // namespace homecare::carer_sim
