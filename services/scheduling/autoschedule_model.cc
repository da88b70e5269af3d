#include "services/scheduling/autoschedule_model.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <map>
#include <set>
#include <tuple>
#include <utility>

#include "absl/algorithm/container.h"
#include "absl/container/flat_hash_map.h"
#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "common/time/time.h"
#include "services/roster/availability_rules.h"
#include "services/scheduling/assignment_rules.h"
#include "services/scheduling/travel.h"
#include "services/scheduling/visit_rules.h"

namespace homecare::scheduling {
namespace {

namespace rv1 = roster::v1;
using solver::Minutes;
using solver::SkillSet;

solver::Gender SolverGender(common::v1::Gender gender) {
  switch (gender) {
    case common::v1::GENDER_FEMALE:
      return solver::Gender::kFemale;
    case common::v1::GENDER_MALE:
      return solver::Gender::kMale;
    case common::v1::GENDER_NON_BINARY:
      return solver::Gender::kNonBinary;
    case common::v1::GENDER_UNDISCLOSED:
      return solver::Gender::kUndisclosed;
    default:
      return solver::Gender::kUnspecified;
  }
}

// Minutes from local midnight.
int MinuteOfDay(absl::Time time, absl::TimeZone zone) {
  const absl::CivilSecond local = absl::ToCivilSecond(time, zone);
  return local.hour() * 60 + local.minute();
}

// Among one day's calls of the client, the one `visit` repeats: the same pattern of the same
// care plan, or for a visit of no pattern, the call of no pattern whose window opens nearest
// the same time of day, within kUsualCallMinutes. Null when none.
const v1::Visit* SameCall(const v1::Visit& visit, const std::vector<const v1::Visit*>& calls,
                          absl::TimeZone zone) {
  const bool patterned = !visit.pattern_id().empty();
  const int opens = MinuteOfDay(StoredTime(visit.window_start()), zone);
  const v1::Visit* best = nullptr;
  int best_gap = kUsualCallMinutes + 1;
  for (const v1::Visit* call : calls) {
    if (patterned) {
      if (call->pattern_id() == visit.pattern_id() &&
          call->care_plan_id() == visit.care_plan_id()) {
        return call;
      }
      continue;
    }
    if (!call->pattern_id().empty()) continue;
    // Times of day are a circle: 23:40 and 00:20 are 40 minutes apart.
    const int apart = std::abs(MinuteOfDay(StoredTime(call->window_start()), zone) - opens);
    const int gap = std::min(apart, 24 * 60 - apart);
    if (gap < best_gap) {
      best = call;
      best_gap = gap;
    }
  }
  return best;
}

// Each distinct place once: the engine's locations.
class Places {
 public:
  int Index(const common::v1::GeoPoint& point) {
    auto [it, added] = index_.try_emplace({point.latitude(), point.longitude()}, 0);
    if (added) {
      it->second = static_cast<int>(points_.size());
      points_.push_back(point);
    }
    return it->second;
  }
  const std::vector<common::v1::GeoPoint>& points() const { return points_; }

 private:
  std::map<std::pair<double, double>, int> index_;
  std::vector<common::v1::GeoPoint> points_;
};

// A stretch of a carer's day: when they are free, and where they are at its two ends (home,
// or a visit they are committed to).
struct Stretch {
  absl::Time start;
  absl::Time end;
  int start_place = -1;
  int end_place = -1;
};

// `stretches` less [start, end); the pieces either side end and start at `place` (-1: as
// they were).
std::vector<Stretch> Without(const std::vector<Stretch>& stretches, absl::Time start,
                             absl::Time end, int place) {
  std::vector<Stretch> kept;
  for (const Stretch& stretch : stretches) {
    if (end <= stretch.start || stretch.end <= start) {
      kept.push_back(stretch);
      continue;
    }
    if (stretch.start < start) {
      Stretch before = stretch;
      before.end = start;
      if (place >= 0) before.end_place = place;
      kept.push_back(before);
    }
    if (end < stretch.end) {
      Stretch after = stretch;
      after.start = end;
      if (place >= 0) after.start_place = place;
      kept.push_back(after);
    }
  }
  return kept;
}

rv1::TravelMode TravelModeOf(const rv1::Carer& carer) {
  return carer.travel_mode() == rv1::TRAVEL_MODE_UNSPECIFIED ? rv1::TRAVEL_MODE_DRIVES
                                                             : carer.travel_mode();
}

bool StaffedFully(const v1::Visit& visit) {
  return visit.carer_ids_size() >= std::max(1, visit.carers_required());
}

// Whether carers are free at a local time of day on the days after `date`, by their weekly
// availability less the absences the roster gave: each carer's day is read once.
class DaysAhead {
 public:
  // A call's start and end on each day ahead (1 to kRotaDays - 1; 0 is today, unused).
  using CallTimes = std::array<std::pair<absl::Time, absl::Time>, kRotaDays>;

  DaysAhead(absl::CivilDay date, absl::TimeZone zone) : date_(date), zone_(zone) {}

  CallTimes TimesOf(int minute_of_day, int minutes) const {
    CallTimes times;
    for (int ahead = 1; ahead < kRotaDays; ++ahead) {
      const absl::Time start =
          LocalToInstant(absl::CivilSecond(date_ + ahead) + minute_of_day * 60, zone_);
      times[ahead] = {start, start + absl::Minutes(minutes)};
    }
    return times;
  }

  bool Free(const rv1::CarerDetails& carer, int days_ahead, const CallTimes& times) {
    auto [it, added] = free_.try_emplace({&carer, days_ahead});
    if (added) {
      const absl::CivilDay day = date_ + days_ahead;
      // A call late in the evening may run past midnight.
      it->second = roster::AvailableIntervals(carer.availability(), zone_, DayStart(day, zone_),
                                              DayStart(day + 1, zone_) + absl::Hours(12));
    }
    const auto [start, end] = times[days_ahead];
    if (std::none_of(it->second.begin(), it->second.end(), [&](const roster::Interval& free) {
          return free.start <= start && end <= free.end;
        })) {
      return false;
    }
    return std::none_of(
        carer.absences().begin(), carer.absences().end(),
        [&](const rv1::Absence& absence) { return roster::AbsenceOverlaps(absence, start, end); });
  }

 private:
  absl::CivilDay date_;
  absl::TimeZone zone_;
  absl::flat_hash_map<std::pair<const rv1::CarerDetails*, int>, std::vector<roster::Interval>>
      free_;
};

// A carer who might cover, with their stretches today: read once for every call.
struct CoverCandidate {
  const rv1::CarerDetails* details = nullptr;
  const std::vector<int>* stretches = nullptr;  // indices into the model's routes
};

// What choosing covers reads of the day being modelled.
struct CoverDay {
  const AutoScheduleInput& input;
  const std::vector<CoverCandidate>& candidates;  // the active carers
  const std::vector<solver::Carer>& stretches;    // the model's routes
  DaysAhead& days_ahead;
};

struct Cover {
  const std::string* carer = nullptr;
  double familiarity = 0;
};

// Covers who fit the week: a call's regulars will be off on some of the coming days (its short
// days); a new face who could take the call then too can come back, where another would be one
// more carer for the client to meet. Of the carers `new_to_client` with a stretch today that
// can hold the call (skills, not excluded, the required gender), the `places` free on the most
// short days, then whose homes are nearest the client by road, each known by kCoverFamiliarity
// times the share of the short days they are free.
std::vector<Cover> CoversWhoFitTheWeek(const CoverDay& day, const v1::Visit& visit,
                                       const solver::Visit& mapped,
                                       const std::vector<const rv1::CarerDetails*>& regulars,
                                       const v1::Client* client,
                                       absl::FunctionRef<bool(const std::string&)> new_to_client,
                                       int places) {
  const DaysAhead::CallTimes times = day.days_ahead.TimesOf(
      MinuteOfDay(StoredTime(visit.window_start()), day.input.zone), visit.duration_minutes());
  std::vector<int> short_days;  // days ahead when a regular is off
  for (int ahead = 1; !regulars.empty() && ahead < kRotaDays; ++ahead) {
    if (std::any_of(regulars.begin(), regulars.end(), [&](const rv1::CarerDetails* regular) {
          return !day.days_ahead.Free(*regular, ahead, times);
        })) {
      short_days.push_back(ahead);
    }
  }
  if (short_days.empty()) return {};
  struct Fitting {
    int days = 0;
    int travel = 0;  // minutes from home, by road
    const std::string* carer = nullptr;
  };
  std::vector<Fitting> fitting;
  for (const CoverCandidate& candidate : day.candidates) {
    const rv1::Carer& carer = candidate.details->carer();
    if (!new_to_client(carer.carer_id())) continue;
    if (client != nullptr &&
        (absl::c_linear_search(client->excluded_carer_ids(), carer.carer_id()) ||
         (client->carer_gender_required() &&
          client->preferred_carer_gender() != common::v1::GENDER_UNSPECIFIED &&
          client->preferred_carer_gender() != carer.gender()))) {
      continue;
    }
    if (std::none_of(candidate.stretches->begin(), candidate.stretches->end(), [&](int route) {
          const solver::Carer& stretch = day.stretches[route];
          return (mapped.required_skills & ~stretch.skills) == 0 &&
                 stretch.shift_start <= mapped.window_end &&
                 mapped.window_start + mapped.duration <= stretch.shift_end;
        })) {
      continue;
    }
    Fitting cover{.carer = &carer.carer_id()};
    for (int ahead : short_days) {
      cover.days += day.days_ahead.Free(*candidate.details, ahead, times);
    }
    if (cover.days == 0) continue;
    cover.travel = EstimateTravel(carer.home(), visit.location(), rv1::TRAVEL_MODE_DRIVES,
                                  day.input.settings->travel())
                       .minutes;
    fitting.push_back(cover);
  }
  std::sort(fitting.begin(), fitting.end(), [](const Fitting& a, const Fitting& b) {
    return std::tuple(-a.days, a.travel, *a.carer) < std::tuple(-b.days, b.travel, *b.carer);
  });
  fitting.resize(std::min<size_t>(fitting.size(), places));
  std::vector<Cover> covers;
  for (const Fitting& f : fitting) {
    covers.push_back(
        {.carer = f.carer, .familiarity = kCoverFamiliarity * f.days / short_days.size()});
  }
  return covers;
}

}  // namespace

absl::StatusOr<SolverModel> BuildSolverModel(const AutoScheduleInput& input) {
  if (input.settings == nullptr) return absl::InvalidArgumentError("no settings in force");
  SolverModel model;
  solver::Problem& problem = model.problem;
  model.origin = DayStart(input.date, input.zone);
  // A stretch begun on the day may run past midnight (a bedtime round), up to noon.
  const absl::Time next_day = DayStart(input.date + 1, input.zone);
  const absl::Time day_end = next_day + absl::Hours(12);
  auto minutes = [&](absl::Time t) { return absl::ToDoubleMinutes(t - model.origin); };
  Places places;

  // Which visits the engine plans, and which it keeps as they are.
  std::vector<const v1::Visit*> to_plan;
  std::map<std::string, std::vector<const v1::Visit*>> kept_by_carer;
  for (const v1::Visit& visit : input.visits) {
    if (visit.status() == v1::VISIT_STATUS_CANCELLED) continue;
    // The scheduler's own carers on a visit not yet begun may move; a coordinator's stay.
    if (PlannedStart(visit) <= input.now ||
        (StaffedFully(visit) &&
         (visit.auto_scheduled_carer_ids().empty() || !input.move_scheduled_carers))) {
      if (StaffedFully(visit)) {
        model.kept_visit_ids.push_back(visit.visit_id());
      } else {
        model.left_out.push_back({visit.visit_id(), "its planned start has passed"});
      }
      for (const std::string& carer : visit.carer_ids()) kept_by_carer[carer].push_back(&visit);
      continue;
    }
    to_plan.push_back(&visit);
  }
  for (const v1::Visit& visit : input.commitments) {
    if (visit.status() == v1::VISIT_STATUS_CANCELLED) continue;
    for (const std::string& carer : visit.carer_ids()) kept_by_carer[carer].push_back(&visit);
  }

  // Skills, numbered in order of first need.
  std::map<std::string, int> skill_bits;
  for (const v1::Visit* visit : to_plan) {
    for (const std::string& skill : visit->required_skills()) {
      skill_bits.try_emplace(skill, static_cast<int>(skill_bits.size()));
    }
  }
  if (skill_bits.size() > static_cast<size_t>(solver::kMaxSkills)) {
    return absl::FailedPreconditionError(absl::StrCat("the day's visits need ", skill_bits.size(),
                                                      " distinct skills; the engine holds ",
                                                      solver::kMaxSkills));
  }

  // Carers, in id order so that a model is the same for the same data: their stretches.
  std::vector<const rv1::CarerDetails*> carers;
  for (const auto& [id, details] : input.carers) {
    if (details.carer().active()) carers.push_back(&details);
  }
  std::sort(carers.begin(), carers.end(), [](const auto* a, const auto* b) {
    return a->carer().carer_id() < b->carer().carer_id();
  });
  Minutes shortest = 24 * 60;
  for (const v1::Visit* visit : to_plan)
    shortest = std::min<Minutes>(shortest, visit->duration_minutes());
  std::map<rv1::TravelMode, int> profiles = {{rv1::TRAVEL_MODE_DRIVES, 0}};
  std::map<std::string, std::vector<int>> routes_of;  // carer id -> routes
  for (const rv1::CarerDetails* details : carers) {
    const rv1::Carer& carer = details->carer();
    const int home = places.Index(carer.home());
    std::vector<Stretch> stretches;
    for (const roster::Interval& free :
         roster::AvailableIntervals(details->availability(), input.zone, model.origin, day_end)) {
      if (free.start < next_day) stretches.push_back({free.start, free.end, home, home});
    }
    for (const rv1::Absence& absence : details->absences()) {
      if (!roster::AbsenceOverlaps(absence, model.origin, day_end)) continue;
      const absl::Time from = StoredTime(absence.start_time());
      const absl::Time to =
          absence.has_end_time() ? StoredTime(absence.end_time()) : absl::InfiniteFuture();
      stretches = Without(stretches, from, to, -1);
    }
    Minutes committed_today = 0;
    for (const v1::Visit* visit : kept_by_carer[carer.carer_id()]) {
      stretches = Without(stretches, PlannedStart(*visit), PlannedEnd(*visit),
                          places.Index(visit->location()));
      if (LocalDate(*visit) == input.date) committed_today += visit->duration_minutes();
    }
    Minutes limit = solver::kUnlimited;
    if (carer.max_minutes_per_day() > 0) limit = carer.max_minutes_per_day() - committed_today;
    if (limit <= 0) continue;
    const int person = static_cast<int>(problem.people.size());
    bool any = false;
    SkillSet skills = 0;
    for (const auto& [skill, bit] : skill_bits) {
      if (roster::HoldsSkill(carer, skill, input.date, input.date)) skills |= SkillSet{1} << bit;
    }
    const rv1::TravelMode mode = TravelModeOf(carer);
    const int profile = profiles.try_emplace(mode, static_cast<int>(profiles.size())).first->second;
    for (const Stretch& stretch : stretches) {
      if (stretch.end - stretch.start < absl::Minutes(shortest)) continue;
      solver::Carer route;
      route.id = carer.carer_id();
      route.skills = skills;
      route.gender = SolverGender(carer.gender());
      route.start_location = stretch.start_place;
      route.end_location = stretch.end_place;
      route.shift_start = minutes(stretch.start);
      route.shift_end = minutes(stretch.end);
      route.travel_profile = profile;
      route.person = person;
      routes_of[carer.carer_id()].push_back(static_cast<int>(problem.carers.size()));
      model.route_carer_ids.push_back(carer.carer_id());
      problem.carers.push_back(std::move(route));
      any = true;
    }
    if (any) problem.people.push_back({carer.carer_id(), limit});
  }
  auto routes = [&](const std::string& carer_id) -> const std::vector<int>& {
    static const std::vector<int> kNone;
    auto it = routes_of.find(carer_id);
    return it == routes_of.end() ? kNone : it->second;
  };

  // Clients: exclusions, preferences and how well each knows the carers (continuity).
  std::map<std::string, int> client_index;
  std::map<std::string, const v1::Client*> clients;
  for (const v1::Client& client : input.clients) clients[client.client_id()] = &client;
  std::map<std::string, std::map<std::string, double>> familiarity;  // client -> carer -> sum
  // The client's calls of the days the rota rolls over from, by (client, local day).
  std::map<std::pair<std::string, absl::CivilDay>, std::vector<const v1::Visit*>> past_calls;
  const absl::Time history_from = model.origin - absl::Hours(24 * kContinuityDays);
  // client -> the carers they met in the fortnight up to the day
  std::map<std::string, std::set<std::string>> fortnight_carers;
  for (const v1::Visit& visit : input.history) {
    const absl::Time start = PlannedStart(visit);
    if (visit.status() == v1::VISIT_STATUS_CANCELLED || start < history_from ||
        start >= model.origin) {
      continue;
    }
    const absl::CivilDay day = absl::ToCivilDay(StoredTime(visit.window_start()), input.zone);
    if (const int days_before = input.date - day; days_before >= 1 && days_before <= kRotaDays) {
      past_calls[{visit.client_id(), day}].push_back(&visit);
    }
    const double age_days = absl::ToDoubleHours(model.origin - start) / 24;
    for (const std::string& carer : visit.carer_ids()) {
      familiarity[visit.client_id()][carer] += std::pow(0.5, age_days / kContinuityHalfLifeDays);
      if (input.date - day < kFortnightDays) fortnight_carers[visit.client_id()].insert(carer);
    }
  }
  auto client_of = [&](const v1::Visit& visit) -> int {
    auto found = clients.find(visit.client_id());
    if (found == clients.end()) return -1;
    auto [it, added] = client_index.try_emplace(visit.client_id(), 0);
    if (!added) return it->second;
    it->second = static_cast<int>(problem.clients.size());
    const v1::Client& client = *found->second;
    solver::Client mapped;
    mapped.id = client.client_id();
    for (const std::string& carer : client.preferred_carer_ids()) {
      for (int route : routes(carer)) mapped.preferred_carers.push_back(route);
    }
    for (const auto& [carer, sum] : familiarity[client.client_id()]) {
      for (int route : routes(carer)) {
        mapped.known_carers.push_back(route);
        mapped.known_carer_weights.push_back(std::min(1.0, sum));
      }
    }
    if (static_cast<int>(fortnight_carers[client.client_id()].size()) >=
        input.settings->auto_schedule().fortnight_carers_threshold()) {
      mapped.unknown_carer_factor = kManyCarersContinuityFactor;
    }
    mapped.preferred_gender = SolverGender(client.preferred_carer_gender());
    mapped.gender_required =
        client.carer_gender_required() && mapped.preferred_gender != solver::Gender::kUnspecified;
    for (const std::string& carer : client.excluded_carer_ids()) {
      for (int route : routes(carer)) {
        problem.carers[route].never_visit_clients.push_back(it->second);
      }
    }
    problem.clients.push_back(std::move(mapped));
    return it->second;
  };

  // client -> carer -> familiarity: covers who fit the week (kCoverFamiliarity), not yet met.
  std::map<int, std::map<std::string, double>> covers;
  DaysAhead days_ahead(input.date, input.zone);
  std::vector<CoverCandidate> cover_candidates;
  for (const rv1::CarerDetails* details : carers) {
    cover_candidates.push_back({details, &routes(details->carer().carer_id())});
  }
  const CoverDay cover_day{.input = input,
                           .candidates = cover_candidates,
                           .stretches = problem.carers,
                           .days_ahead = days_ahead};
  // The visits to plan; a double-up one of whose carers a coordinator chose keeps that carer
  // (on the stretch that holds its planned start) and its planned start.
  for (const v1::Visit* visit : to_plan) {
    solver::Visit mapped;
    mapped.id = visit->visit_id();
    mapped.client = client_of(*visit);
    mapped.location = places.Index(visit->location());
    mapped.window_start = minutes(StoredTime(visit->window_start()));
    mapped.window_end = std::max(mapped.window_start, minutes(StoredTime(visit->window_end())));
    mapped.duration = visit->duration_minutes();
    for (const std::string& skill : visit->required_skills()) {
      mapped.required_skills |= SkillSet{1} << skill_bits[skill];
    }
    mapped.carers_required = std::clamp(visit->carers_required(), 1, 2);
    // Who made the same call in the last week, the most usual first.
    struct Made {
      bool same_weekday = false;
      int days = 0;
      int latest = kRotaDays;  // days before
      std::string carer;
    };
    std::map<std::string, Made> made;
    for (int days_before = 1; days_before <= kRotaDays; ++days_before) {
      const auto calls = past_calls.find({visit->client_id(), input.date - days_before});
      if (calls == past_calls.end()) continue;
      const v1::Visit* same = SameCall(*visit, calls->second, input.zone);
      if (same == nullptr) continue;
      for (const std::string& carer : same->carer_ids()) {
        Made& m = made[carer];
        m.same_weekday |= days_before == kRotaDays;
        ++m.days;
        m.latest = std::min(m.latest, days_before);
      }
    }
    std::vector<Made> ranked;
    for (auto& [carer, m] : made) {
      m.carer = carer;
      ranked.push_back(std::move(m));
    }
    std::sort(ranked.begin(), ranked.end(), [](const Made& a, const Made& b) {
      return std::tuple(!a.same_weekday, -a.days, a.latest, a.carer) <
             std::tuple(!b.same_weekday, -b.days, b.latest, b.carer);
    });
    // A visit the scheduler staffed before is usual to the carers it gave it: a new plan moves
    // them only where that gains more than the usual-carer weight.
    std::vector<std::string> scheduled;
    if (input.move_scheduled_carers) {
      scheduled.assign(visit->auto_scheduled_carer_ids().begin(),
                       visit->auto_scheduled_carer_ids().end());
    }
    if (!scheduled.empty()) {
      ranked.clear();
      for (const std::string& carer : scheduled) ranked.push_back({.carer = carer});
    }
    int usual_people = 0;
    for (const Made& m : ranked) {
      if (usual_people >= mapped.carers_required) break;
      bool free = false;
      for (int route : routes(m.carer)) {
        const solver::Carer& stretch = problem.carers[route];
        if (stretch.shift_start > mapped.window_end ||
            stretch.shift_end < mapped.window_start + mapped.duration) {
          continue;
        }
        mapped.usual_carers.push_back(route);
        free = true;
      }
      usual_people += free;
    }
    if (input.covers_who_fit_the_week && scheduled.empty() &&
        usual_people < mapped.carers_required) {
      // The call's regulars: its usual carers, working today or not.
      std::vector<const rv1::CarerDetails*> regulars;
      for (const Made& m : ranked) {
        if (static_cast<int>(regulars.size()) >= mapped.carers_required) break;
        auto it = input.carers.find(m.carer);
        if (it != input.carers.end()) regulars.push_back(&it->second);
      }
      const v1::Client* client = mapped.client >= 0 ? clients.at(visit->client_id()) : nullptr;
      const std::map<std::string, double>& met = familiarity[visit->client_id()];
      auto new_to_client = [&](const std::string& carer) {
        return made.count(carer) == 0 && met.count(carer) == 0;
      };
      for (const Cover& cover :
           CoversWhoFitTheWeek(cover_day, *visit, mapped, regulars, client, new_to_client,
                               kCoversPerMissingCarer * (mapped.carers_required - usual_people))) {
        double& known = covers[mapped.client][*cover.carer];
        known = std::max(known, cover.familiarity);
      }
    }
    bool placeable = true;
    for (const std::string& carer : visit->carer_ids()) {
      if (std::find(scheduled.begin(), scheduled.end(), carer) != scheduled.end()) continue;
      const Minutes start = minutes(PlannedStart(*visit));
      int holding = -1;
      for (int route : routes(carer)) {
        const solver::Carer& stretch = problem.carers[route];
        if (stretch.shift_start <= start && start + mapped.duration <= stretch.shift_end) {
          holding = route;
        }
      }
      if (holding < 0) {
        model.left_out.push_back(
            {visit->visit_id(), absl::StrCat("its carer ", carer, " has no free stretch for it")});
        placeable = false;
        break;
      }
      mapped.pinned_carers.push_back(holding);
      mapped.window_start = mapped.window_end = start;
    }
    if (!placeable) continue;
    // A planned start must lie within the window (the assignment rules refuse any other), so
    // the engine may not plan a visit late: one it cannot start in time is left unassigned,
    // for a coordinator to see to.
    mapped.latest_start = mapped.window_end;
    if (visit->time_critical()) mapped.unassigned_factor = kTimeCriticalUnassignedFactor;
    model.visit_ids.push_back(visit->visit_id());
    model.visit_versions.push_back(visit->version());
    model.scheduled_carers.push_back(scheduled);
    model.planned_starts.push_back(PlannedStart(*visit));
    model.carer_ids.push_back({visit->carer_ids().begin(), visit->carer_ids().end()});
    problem.visits.push_back(std::move(mapped));
  }

  for (const solver::Client& client : problem.clients) {
    model.known_carers_met.push_back(static_cast<int>(client.known_carers.size()));
  }
  for (const auto& [client, familiar] : covers) {
    if (client < 0) continue;
    for (const auto& [carer, known] : familiar) {
      for (int route : routes(carer)) {
        problem.clients[client].known_carers.push_back(route);
        problem.clients[client].known_carer_weights.push_back(known);
      }
    }
  }

  // Travel: one matrix per mode in use, over every place.
  const std::vector<common::v1::GeoPoint>& points = places.points();
  const int size = static_cast<int>(points.size());
  std::vector<solver::TravelMatrix> matrices(profiles.size());
  for (const auto& [mode, profile] : profiles) {
    solver::TravelMatrix& matrix = matrices[profile];
    matrix.size = size;
    matrix.minutes.resize(static_cast<size_t>(size) * size);
    for (int from = 0; from < size; ++from) {
      for (int to = 0; to < size; ++to) {
        matrix.minutes[static_cast<size_t>(from) * size + to] =
            EstimateTravel(points[from], points[to], mode, input.settings->travel()).minutes;
      }
    }
  }
  problem.travel = std::move(matrices[0]);
  problem.other_travel.assign(std::make_move_iterator(matrices.begin() + 1),
                              std::make_move_iterator(matrices.end()));

  // A visit left unassigned outweighs any day's travel. No visit may start after its window
  // (latest_start above), so lateness is always 0 and its weights are the engine's defaults.
  const v1::AutoScheduleWeights& weights = input.settings->auto_schedule();
  model.weights.unassigned_visit = 10000;
  model.weights.travel = 1;
  model.weights.total_lateness = 1;
  model.weights.max_lateness = 1;
  model.weights.unknown_carer = weights.continuity_minutes();
  model.weights.non_preferred_carer = weights.preferred_carer_minutes();
  model.weights.gender_mismatch = weights.preferred_gender_minutes();
  model.weights.client_carer = weights.carer_in_day_minutes();
  model.weights.unusual_carer = weights.usual_carer_minutes();
  return model;
}

AutoSchedulePlan PlanFromSolution(const SolverModel& model, const solver::Solution& solution) {
  AutoSchedulePlan plan;
  std::vector<int> planned_index(model.visit_ids.size(), -1);
  for (const solver::Route& route : solution.routes) {
    for (const solver::ScheduledVisit& scheduled : route.visits) {
      int& index = planned_index[scheduled.visit];
      if (index < 0) {
        index = static_cast<int>(plan.assignments.size());
        PlannedVisit planned;
        planned.visit_id = model.visit_ids[scheduled.visit];
        planned.version = model.visit_versions[scheduled.visit];
        planned.scheduled_carer_ids = model.scheduled_carers[scheduled.visit];
        planned.scheduled_start = model.planned_starts[scheduled.visit];
        planned.planned_start =
            model.origin + absl::Minutes(std::ceil(scheduled.start - solver::kTimeTolerance));
        plan.assignments.push_back(std::move(planned));
      }
      PlannedVisit& planned = plan.assignments[index];
      planned.carer_ids.push_back(model.route_carer_ids[route.carer]);
      const solver::Visit& visit = model.problem.visits[scheduled.visit];
      if (visit.client >= 0) {
        const solver::Client& client = model.problem.clients[visit.client];
        planned.client_id = client.id;
        const auto met_end = client.known_carers.begin() + model.known_carers_met[visit.client];
        planned.carers_new_to_client +=
            std::find(client.known_carers.begin(), met_end, route.carer) == met_end;
      }
      planned.carers_off_rota += !visit.usual_carers.empty() &&
                                 std::find(visit.usual_carers.begin(), visit.usual_carers.end(),
                                           route.carer) == visit.usual_carers.end();
    }
  }
  for (const solver::UnassignedVisit& unassigned : solution.unassigned) {
    const int v = unassigned.visit;
    if (!model.scheduled_carers[v].empty()) {
      // Staffed by the scheduler before: kept with those carers rather than emptied.
      const int client = model.problem.visits[v].client;
      plan.assignments.push_back(
          {.visit_id = model.visit_ids[v],
           .version = model.visit_versions[v],
           .carer_ids = model.carer_ids[v],
           .planned_start = model.planned_starts[v],
           .client_id = client >= 0 ? model.problem.clients[client].id : std::string(),
           .carers_new_to_client = 0,
           .carers_off_rota = 0,
           .scheduled_carer_ids = model.scheduled_carers[v],
           .scheduled_start = model.planned_starts[v]});
      continue;
    }
    plan.unassigned.push_back(
        {model.visit_ids[v], std::string(solver::UnassignedReasonName(unassigned.reason))});
  }
  std::sort(plan.assignments.begin(), plan.assignments.end(),
            [](const PlannedVisit& a, const PlannedVisit& b) {
              return std::tie(a.planned_start, a.visit_id) < std::tie(b.planned_start, b.visit_id);
            });
  plan.unassigned.insert(plan.unassigned.end(), model.left_out.begin(), model.left_out.end());
  plan.objective = solution.objective.weighted;
  plan.travel_minutes = static_cast<int>(std::lround(solution.objective.travel));
  plan.lateness_minutes = static_cast<int>(std::lround(solution.objective.total_lateness));
  return plan;
}

v1::SchedulePlan PlanToProto(const AutoSchedulePlan& plan) {
  v1::SchedulePlan proto;
  for (const PlannedVisit& planned : plan.assignments) {
    v1::PlannedAssignment& assignment = *proto.add_assignments();
    assignment.set_visit_id(planned.visit_id);
    for (const std::string& carer : planned.carer_ids) assignment.add_carer_ids(carer);
    *assignment.mutable_planned_start() = TimeToProto(planned.planned_start);
    assignment.set_client_id(planned.client_id);
    assignment.set_carers_new_to_client(planned.carers_new_to_client);
    assignment.set_carers_off_rota(planned.carers_off_rota);
  }
  for (const LeftOut& left : plan.unassigned) {
    v1::UnassignedVisit& unassigned = *proto.add_unassigned();
    unassigned.set_visit_id(left.visit_id);
    unassigned.set_reason(left.reason);
  }
  proto.set_objective(plan.objective);
  proto.set_travel_minutes(plan.travel_minutes);
  proto.set_lateness_minutes(plan.lateness_minutes);
  *proto.mutable_continuity() = ContinuityOf(proto.assignments());
  return proto;
}

v1::PlanContinuity ContinuityOf(
    const google::protobuf::RepeatedPtrField<v1::PlannedAssignment>& assignments) {
  v1::PlanContinuity continuity;
  std::map<std::string, std::set<std::string>> carers_of_client;
  for (const v1::PlannedAssignment& planned : assignments) {
    continuity.set_carer_visits(continuity.carer_visits() + planned.carer_ids_size());
    continuity.set_carer_visits_new_to_client(continuity.carer_visits_new_to_client() +
                                              planned.carers_new_to_client());
    continuity.set_carer_visits_off_rota(continuity.carer_visits_off_rota() +
                                         planned.carers_off_rota());
    if (planned.client_id().empty()) continue;
    carers_of_client[planned.client_id()].insert(planned.carer_ids().begin(),
                                                 planned.carer_ids().end());
  }
  continuity.set_clients(static_cast<int>(carers_of_client.size()));
  if (!carers_of_client.empty()) {
    size_t distinct = 0;
    for (const auto& [client, carers] : carers_of_client) distinct += carers.size();
    continuity.set_distinct_carers_per_client(static_cast<double>(distinct) /
                                              carers_of_client.size());
  }
  return continuity;
}

}  // namespace homecare::scheduling
