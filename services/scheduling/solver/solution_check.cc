#include "services/scheduling/solver/solution_check.h"

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace homecare::scheduling::solver {
namespace {

// Looser than the engine's kTimeTolerance on purpose: the check sums each route in its own order,
// and must not reject a plan the engine accepted over that rounding.
constexpr Minutes kTolerance = 1e-6;

bool Contains(const std::vector<int>& list, int value) {
  return std::find(list.begin(), list.end(), value) != list.end();
}

}  // namespace

absl::StatusOr<ObjectiveBreakdown> CheckSolution(const Problem& problem,
                                                 const ObjectiveWeights& weights,
                                                 const Solution& solution) {
  std::vector<std::string> broken;
  ObjectiveBreakdown objective;
  const int num_visits = static_cast<int>(problem.visits.size());
  // The humans (a carer's index, or past them a person's of a split shift) and start times of
  // each visit.
  std::vector<std::vector<int>> carers_of(num_visits);
  std::vector<std::vector<Minutes>> starts_of(num_visits);
  // The humans who visit each client.
  std::vector<std::vector<int>> people_of_client(problem.clients.size());
  const int num_carers = static_cast<int>(problem.carers.size());
  auto human = [&](int c) {
    if (c < 0 || c >= num_carers) return c;
    const int person = problem.carers[c].person;
    return person >= 0 && person < static_cast<int>(problem.people.size()) ? num_carers + person
                                                                           : c;
  };
  std::vector<Minutes> person_work(problem.people.size(), 0);

  if (solution.routes.size() != problem.carers.size()) {
    broken.push_back(absl::StrCat("expected ", problem.carers.size(), " routes, found ",
                                  solution.routes.size()));
  }
  for (size_t r = 0; r < solution.routes.size() && r < problem.carers.size(); ++r) {
    const Route& route = solution.routes[r];
    const int c = static_cast<int>(r);
    const Carer& carer = problem.carers[c];
    const std::string who = absl::StrCat("carer ", carer.id);
    if (route.carer != c) broken.push_back(absl::StrCat(who, ": route lists carer ", route.carer));
    if (route.visits.empty()) continue;
    const bool own_matrix = carer.travel_profile > 0 &&
                            carer.travel_profile <= static_cast<int>(problem.other_travel.size());
    const TravelMatrix& matrix =
        own_matrix ? problem.other_travel[carer.travel_profile - 1] : problem.travel;
    int at = carer.start_location;
    Minutes free_at = carer.shift_start;
    Minutes travel = 0;
    Minutes work = 0;
    for (const ScheduledVisit& scheduled : route.visits) {
      if (scheduled.visit < 0 || scheduled.visit >= num_visits) {
        broken.push_back(absl::StrCat(who, ": visit index ", scheduled.visit, " out of range"));
        continue;
      }
      const Visit& visit = problem.visits[scheduled.visit];
      const std::string what = absl::StrCat(who, " visit ", visit.id);
      if (Contains(carers_of[scheduled.visit], human(c))) broken.push_back(what + ": done twice");
      carers_of[scheduled.visit].push_back(human(c));
      starts_of[scheduled.visit].push_back(scheduled.start);
      if ((visit.required_skills & ~carer.skills) != 0) broken.push_back(what + ": missing skill");
      if (!visit.usual_carers.empty() && !Contains(visit.usual_carers, c)) {
        ++objective.unusual_carer;
      }
      if (visit.client >= 0) {
        const Client& client = problem.clients[visit.client];
        if (!Contains(people_of_client[visit.client], human(c))) {
          people_of_client[visit.client].push_back(human(c));
          ++objective.client_carers;
        }
        if (Contains(carer.never_visit_clients, visit.client)) {
          broken.push_back(what + ": carer must never visit this client");
        }
        const bool gender_ok = client.preferred_gender == Gender::kUnspecified ||
                               client.preferred_gender == carer.gender;
        if (!gender_ok) {
          if (client.gender_required) broken.push_back(what + ": gender required");
          ++objective.gender_mismatch;
        }
        if (!client.preferred_carers.empty() && !Contains(client.preferred_carers, c)) {
          ++objective.non_preferred_carer;
        }
        if (!client.known_carers.empty()) {
          if (!Contains(client.known_carers, c)) ++objective.unknown_carer;
          objective.unfamiliarity += client.unknown_carer_factor * (1 - Familiarity(client, c));
        }
      }
      const Minutes leg = matrix(at, visit.location);
      travel += leg;
      work += visit.duration;
      const Minutes arrival = free_at + leg;
      if (scheduled.start < arrival - kTolerance) {
        broken.push_back(absl::StrCat(what, ": starts at ", scheduled.start,
                                      " before the carer can arrive at ", arrival));
      }
      if (scheduled.start < visit.window_start - kTolerance) {
        broken.push_back(absl::StrCat(what, ": starts at ", scheduled.start,
                                      " before its window opens at ", visit.window_start));
      }
      if (scheduled.start > visit.latest_start + kTolerance) {
        broken.push_back(absl::StrCat(what, ": starts at ", scheduled.start,
                                      " after its latest start ", visit.latest_start));
      }
      const Minutes lateness = std::max<Minutes>(0, scheduled.start - visit.window_end);
      objective.total_lateness += lateness;
      objective.max_lateness = std::max(objective.max_lateness, lateness);
      free_at = scheduled.start + visit.duration;
      at = visit.location;
    }
    const Minutes home = matrix(at, carer.end_location);
    travel += home;
    work += travel;
    objective.travel += travel;
    if (free_at + home > carer.shift_end + kTolerance) {
      broken.push_back(absl::StrCat(who, ": back at ", free_at + home, " after the shift ends at ",
                                    carer.shift_end));
    }
    if (!WithinWorkingTime(work, carer.max_working_minutes, kTolerance)) {
      broken.push_back(
          absl::StrCat(who, ": works ", work, " minutes, more than ", carer.max_working_minutes));
    }
    if (human(c) >= num_carers) person_work[human(c) - num_carers] += work;
  }
  for (size_t p = 0; p < problem.people.size(); ++p) {
    if (!WithinWorkingTime(person_work[p], problem.people[p].max_working_minutes, kTolerance)) {
      broken.push_back(absl::StrCat("person ", problem.people[p].id, ": works ", person_work[p],
                                    " minutes over their stretches, more than ",
                                    problem.people[p].max_working_minutes));
    }
  }

  std::vector<bool> reported_unassigned(num_visits, false);
  for (const UnassignedVisit& u : solution.unassigned) {
    if (u.visit < 0 || u.visit >= num_visits) {
      broken.push_back(absl::StrCat("unassigned visit index ", u.visit, " out of range"));
      continue;
    }
    reported_unassigned[u.visit] = true;
  }
  double unassigned_factors = 0;  // what ObjectiveWeights::unassigned_visit weighs
  for (int v = 0; v < num_visits; ++v) {
    const Visit& visit = problem.visits[v];
    const int done = static_cast<int>(carers_of[v].size());
    if (reported_unassigned[v]) {
      if (done != 0) broken.push_back(absl::StrCat("visit ", visit.id, ": unassigned but routed"));
      ++objective.unassigned_visits;
      unassigned_factors += visit.unassigned_factor;
      continue;
    }
    if (done != visit.carers_required) {
      broken.push_back(absl::StrCat("visit ", visit.id, ": has ", done, " carers, needs ",
                                    visit.carers_required));
      continue;
    }
    for (int pinned : visit.pinned_carers) {
      if (!Contains(carers_of[v], human(pinned))) {
        broken.push_back(absl::StrCat("visit ", visit.id, ": pinned carer ", pinned, " not on it"));
      }
    }
    if (done == 2 && std::fabs(starts_of[v][0] - starts_of[v][1]) > kTolerance) {
      broken.push_back(absl::StrCat("visit ", visit.id, ": double-up carers start at ",
                                    starts_of[v][0], " and ", starts_of[v][1]));
    }
  }
  for (const VisitLink& link : problem.links) {
    const int a = link.first_visit, b = link.second_visit;
    const bool a_done = !carers_of[a].empty(), b_done = !carers_of[b].empty();
    if (a_done != b_done) {
      broken.push_back(absl::StrCat("linked visits ", problem.visits[a].id, " and ",
                                    problem.visits[b].id, ": only one is placed"));
      continue;
    }
    if (!a_done) continue;
    const Minutes gap = starts_of[b][0] - starts_of[a][0];
    if (gap < link.min_gap - kTolerance || gap > link.max_gap + kTolerance) {
      broken.push_back(absl::StrCat("linked visits ", problem.visits[a].id, " and ",
                                    problem.visits[b].id, ": start ", gap, " apart, outside [",
                                    link.min_gap, ", ", link.max_gap, "]"));
    }
    if (link.distinct_carers && carers_of[a][0] == carers_of[b][0]) {
      broken.push_back(absl::StrCat("linked visits ", problem.visits[a].id, " and ",
                                    problem.visits[b].id, ": same carer"));
    }
  }
  if (!broken.empty()) {
    return absl::FailedPreconditionError(absl::StrJoin(broken, "; "));
  }
  objective.weighted = weights.unassigned_visit * unassigned_factors +
                       weights.travel * objective.travel +
                       weights.total_lateness * objective.total_lateness +
                       weights.max_lateness * objective.max_lateness +
                       weights.non_preferred_carer * objective.non_preferred_carer +
                       weights.unknown_carer * objective.unfamiliarity +
                       weights.gender_mismatch * objective.gender_mismatch +
                       weights.client_carer * objective.client_carers +
                       weights.unusual_carer * objective.unusual_carer;
  return objective;
}

}  // namespace homecare::scheduling::solver
