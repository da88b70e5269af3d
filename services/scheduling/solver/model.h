// The scheduling engine's model of one planning day, in domain terms.
//
// Everything is indexed: carers, clients, visits and locations are referred to by their position in
// the Problem's vectors, and times are minutes since an origin the caller chooses (usually local
// midnight of the planned day). Ids are carried only so that results and errors can name things.
#ifndef SERVICES_SCHEDULING_SOLVER_MODEL_H_
#define SERVICES_SCHEDULING_SOLVER_MODEL_H_

#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "absl/status/status.h"

namespace homecare::scheduling::solver {

using Minutes = double;

// Marks "no limit" for shift ends and working minutes.
inline constexpr Minutes kUnlimited = std::numeric_limits<double>::infinity();

// Slack of the engine's comparisons of times with limits: the same start, route end or working
// time is summed in different orders by the plan, the insertion evaluator and the search, so a
// plan exactly at a limit can come out a rounding error over it in one of them.
inline constexpr Minutes kTimeTolerance = 1e-7;

// The working-time rule, in one place so that the plan, the insertion evaluator, the search's
// bounds, the reasons for unassigned visits and the solution check cannot drift apart. Working
// minutes are as defined at Carer::max_working_minutes.
constexpr bool WithinWorkingTime(Minutes working_minutes, Minutes max_working_minutes,
                                 Minutes tolerance = kTimeTolerance) {
  return working_minutes <= max_working_minutes + tolerance;
}

// Skill i is bit i; a carer qualifies for a visit when it holds every required bit.
using SkillSet = std::uint64_t;
inline constexpr int kMaxSkills = 64;

// A client's preference matches a carer of the same value only; kUndisclosed never matches.
enum class Gender { kUnspecified = 0, kFemale, kMale, kNonBinary, kUndisclosed };

// Square matrix of travel minutes between location indices, row-major: minutes[from * size + to].
struct TravelMatrix {
  int size = 0;
  std::vector<Minutes> minutes;

  Minutes operator()(int from, int to) const { return minutes[from * size + to]; }
};

// A person who works several stretches of one day (a split shift: a morning and an evening),
// each a Carer entry naming the person, with one limit on their working time over all of them.
struct Person {
  std::string id;
  // Working time (as Carer::max_working_minutes counts it) over all the person's stretches.
  Minutes max_working_minutes = kUnlimited;
};

// One carer's working shift for the day: a route. A person with two separate blocks of
// availability is two Carer entries with the same `person`.
struct Carer {
  std::string id;
  SkillSet skills = 0;
  Gender gender = Gender::kUnspecified;
  int start_location = 0;
  int end_location = 0;
  // The carer leaves start_location no earlier than shift_start and must be back at end_location
  // by shift_end.
  Minutes shift_start = 0;
  Minutes shift_end = kUnlimited;
  // Paid working time: travel (including the legs from and to the shift's places) plus the
  // durations of the visits. Waiting between visits does not count.
  Minutes max_working_minutes = kUnlimited;
  // Indices into Problem::clients this carer must never be sent to.
  std::vector<int> never_visit_clients;
  // The travel matrix of this carer's route: 0 for Problem::travel, k for
  // Problem::other_travel[k - 1] (say, walking where most drive).
  int travel_profile = 0;
  // Index into Problem::people when this is one stretch of a person's day; -1 when the entry is
  // a person of its own. Two stretches of one person must not overlap in time, and count as one
  // carer for VisitLink::distinct_carers.
  int person = -1;
};

struct Client {
  std::string id;
  // Soft: a visit served by a carer outside this list costs ObjectiveWeights::non_preferred_carer
  // (only when the list is not empty).
  std::vector<int> preferred_carers;
  // Continuity of care: a visit served by a carer this client has not met costs
  // ObjectiveWeights::unknown_carer (only when the list is not empty); one by a known carer costs
  // unknown_carer × (1 − how well the client knows them).
  std::vector<int> known_carers;
  // How well the client knows each of known_carers, in [0, 1] (say, recent and frequent visits
  // near 1); empty: each of them fully (1).
  std::vector<double> known_carer_weights;
  // What a carer the client does not fully know costs (unknown_carer × (1 − familiarity)) is
  // multiplied by this: above 1 for a client who has already met many carers lately, so that
  // new faces go to clients who have met few.
  double unknown_carer_factor = 1;
  Gender preferred_gender = Gender::kUnspecified;
  // When set, a carer of another gender is not qualified at all instead of costing a penalty.
  bool gender_required = false;
};

// How well `client` knows carer `c`: 0 for a carer outside known_carers, else their weight.
inline double Familiarity(const Client& client, int c) {
  for (size_t i = 0; i < client.known_carers.size(); ++i) {
    if (client.known_carers[i] != c) continue;
    return client.known_carer_weights.empty() ? 1.0 : client.known_carer_weights[i];
  }
  return 0;
}

struct Visit {
  std::string id;
  // Index into Problem::clients, or -1 for a visit with no client record (no preferences apply).
  int client = -1;
  int location = 0;
  // Starting before window_start is not allowed; starting after window_end is allowed and costs
  // lateness.
  Minutes window_start = 0;
  Minutes window_end = 0;
  // A start after this is not allowed at all: a time-critical visit (medication at a prescribed
  // time) is left unassigned, for a person to see to, rather than planned late.
  Minutes latest_start = kUnlimited;
  Minutes duration = 0;
  SkillSet required_skills = 0;
  // 2 for a double-up: two different carers who start together.
  int carers_required = 1;
  // Carers that must do this visit (at most carers_required of them).
  std::vector<int> pinned_carers;
  // How many visits leaving this one unassigned counts as (ObjectiveWeights::unassigned_visit
  // each): above 1 for a visit that must not be the one left when not all fit, such as a
  // time-critical one.
  double unassigned_factor = 1;
  // Soft: the carers who usually make this call (say, those who made it a week ago and
  // yesterday, so that a rota rolls over). Served by anyone else, it costs
  // ObjectiveWeights::unusual_carer per carer (only when the list is not empty).
  std::vector<int> usual_carers;
};

// The second visit starts between min_gap and max_gap minutes after the first one starts. Both are
// placed or neither is. A visit takes part in at most one link and cannot be a double-up.
struct VisitLink {
  int first_visit = 0;
  int second_visit = 0;
  Minutes min_gap = 0;
  Minutes max_gap = 0;
  // The two visits must be done by different carers.
  bool distinct_carers = false;
};

struct Problem {
  std::vector<Carer> carers;
  std::vector<Person> people;
  std::vector<Client> clients;
  std::vector<Visit> visits;
  std::vector<VisitLink> links;
  TravelMatrix travel;
  // More matrices over the same locations, for carers who travel otherwise
  // (Carer::travel_profile).
  std::vector<TravelMatrix> other_travel;
};

// The travel matrix of a carer's route (Carer::travel_profile) in a valid problem.
inline const TravelMatrix& TravelOf(const Problem& problem, const Carer& carer) {
  return carer.travel_profile == 0 ? problem.travel
                                   : problem.other_travel[carer.travel_profile - 1];
}

// Weights of the objective, a weighted sum to minimise. Hard rules are never traded against it.
struct ObjectiveWeights {
  double unassigned_visit = 10000;
  double travel = 1;
  double total_lateness = 1;
  double max_lateness = 1;
  double non_preferred_carer = 0;
  double unknown_carer = 0;
  double gender_mismatch = 0;
  // Continuity within the day: each person a client sees that day (the first included), so
  // that a client's calls go to as few carers as the rest allows. Counts by client record;
  // visits with no client count nothing.
  double client_carer = 0;
  // A carer-visit by a carer outside the visit's usual_carers.
  double unusual_carer = 0;
};

// The benchmark's objective: (travel + total lateness + maximum lateness) / 3.
ObjectiveWeights BenchmarkWeights();

// Checks every index, range and structural rule of the model; the error names the field and the
// rule.
absl::Status ValidateProblem(const Problem& problem);

absl::Status ValidateWeights(const ObjectiveWeights& weights);

}  // namespace homecare::scheduling::solver

#endif  // SERVICES_SCHEDULING_SOLVER_MODEL_H_
