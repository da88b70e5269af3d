#include "bench/provider_day/greedy.h"

#include <algorithm>
#include <numeric>
#include <tuple>

#include "absl/status/status.h"

namespace homecare::bench {
namespace {

using solver::Minutes;

// Where a route stands after the visits given to it so far.
struct RouteState {
  int location = 0;
  Minutes free_at = 0;
  // Travel so far plus durations, without the way back to the end place.
  Minutes working = 0;
  bool used = false;
};

// One carer who can take the visit, and on what terms.
struct Candidate {
  int route = 0;
  Minutes travel = 0;
  Minutes start = 0;  // the earliest they can start it
  double familiarity = 0;
};

class Planner {
 public:
  Planner(const solver::Problem& problem, const GreedyOptions& options)
      : problem_(problem),
        options_(options),
        routes_(problem.carers.size()),
        person_working_(problem.people.size(), 0) {
    for (size_t r = 0; r < problem.carers.size(); ++r) {
      routes_[r].location = problem.carers[r].start_location;
      routes_[r].free_at = problem.carers[r].shift_start;
    }
    solution_.routes.resize(problem.carers.size());
    for (size_t r = 0; r < problem.carers.size(); ++r)
      solution_.routes[r].carer = static_cast<int>(r);
  }

  solver::Solution Run() {
    std::vector<int> order(problem_.visits.size());
    std::iota(order.begin(), order.end(), 0);
    std::sort(order.begin(), order.end(), [&](int a, int b) {
      const solver::Visit& x = problem_.visits[a];
      const solver::Visit& y = problem_.visits[b];
      return std::make_tuple(x.window_start, -x.carers_required, x.window_end, -x.duration, a) <
             std::make_tuple(y.window_start, -y.carers_required, y.window_end, -y.duration, b);
    });
    for (int v : order) Place(v);
    return std::move(solution_);
  }

 private:
  const solver::TravelMatrix& Matrix(int route) const {
    return solver::TravelOf(problem_, problem_.carers[route]);
  }

  bool Qualified(int route, const solver::Visit& visit) const {
    const solver::Carer& carer = problem_.carers[route];
    if ((carer.skills & visit.required_skills) != visit.required_skills) return false;
    if (!visit.pinned_carers.empty() &&
        std::find(visit.pinned_carers.begin(), visit.pinned_carers.end(), route) ==
            visit.pinned_carers.end()) {
      return false;
    }
    if (visit.client < 0) return true;
    const solver::Client& client = problem_.clients[visit.client];
    if (client.gender_required && carer.gender != client.preferred_gender) return false;
    return std::find(carer.never_visit_clients.begin(), carer.never_visit_clients.end(),
                     visit.client) == carer.never_visit_clients.end();
  }

  Minutes Closed(int route) const {
    const RouteState& state = routes_[route];
    if (!state.used) return 0;
    return state.working + Matrix(route)(state.location, problem_.carers[route].end_location);
  }

  int PersonOf(int route) const {
    const int person = problem_.carers[route].person;
    return person >= 0 ? person : -1 - route;
  }

  // Whether `route` can do `visit` starting at `start` (no earlier than it can arrive).
  bool Fits(int route, const solver::Visit& visit, Minutes start) const {
    const solver::Carer& carer = problem_.carers[route];
    const RouteState& state = routes_[route];
    const Minutes travel = Matrix(route)(state.location, visit.location);
    if (start + solver::kTimeTolerance < state.free_at + travel) return false;
    if (start > visit.window_end + solver::kTimeTolerance) return false;
    const Minutes home = Matrix(route)(visit.location, carer.end_location);
    if (start + visit.duration + home > carer.shift_end + solver::kTimeTolerance) return false;
    const Minutes closed = state.working + travel + visit.duration + home;
    if (!solver::WithinWorkingTime(closed, carer.max_working_minutes)) return false;
    if (carer.person >= 0) {
      const Minutes person = person_working_[carer.person] - Closed(route) + closed;
      if (!solver::WithinWorkingTime(person, problem_.people[carer.person].max_working_minutes)) {
        return false;
      }
    }
    return true;
  }

  std::vector<Candidate> Candidates(const solver::Visit& visit) {
    std::vector<Candidate> found;
    qualified_ = false;
    for (int r = 0; r < static_cast<int>(problem_.carers.size()); ++r) {
      if (!Qualified(r, visit)) continue;
      qualified_ = true;
      const Minutes travel = Matrix(r)(routes_[r].location, visit.location);
      const Minutes start = std::max(routes_[r].free_at + travel, visit.window_start);
      if (!Fits(r, visit, start)) continue;
      const double familiarity =
          visit.client >= 0 ? solver::Familiarity(problem_.clients[visit.client], r) : 0;
      found.push_back({r, travel, start, familiarity});
    }
    if (found.empty()) return found;
    // A known carer counts as known only within the extra travel allowed over the nearest.
    Minutes nearest = found[0].travel;
    for (const Candidate& c : found) nearest = std::min(nearest, c.travel);
    for (Candidate& c : found) {
      if (options_.kind == GreedyKind::kNearest ||
          c.travel > nearest + options_.known_max_extra_travel) {
        c.familiarity = 0;
      }
    }
    std::sort(found.begin(), found.end(), [](const Candidate& a, const Candidate& b) {
      return std::make_tuple(-a.familiarity, a.travel, a.start, a.route) <
             std::make_tuple(-b.familiarity, b.travel, b.start, b.route);
    });
    return found;
  }

  void Assign(int route, int v, Minutes start) {
    const solver::Visit& visit = problem_.visits[v];
    RouteState& state = routes_[route];
    const Minutes before = Closed(route);
    state.working += Matrix(route)(state.location, visit.location) + visit.duration;
    state.location = visit.location;
    state.free_at = start + visit.duration;
    state.used = true;
    if (problem_.carers[route].person >= 0) {
      person_working_[problem_.carers[route].person] += Closed(route) - before;
    }
    solution_.routes[route].visits.push_back({v, start, 0});
  }

  void Place(int v) {
    const solver::Visit& visit = problem_.visits[v];
    const std::vector<Candidate> candidates = Candidates(visit);
    if (visit.carers_required < 2) {
      if (!candidates.empty()) {
        Assign(candidates[0].route, v, candidates[0].start);
        return;
      }
    } else {
      // The best pair in the candidates' order: most familiarity, then least travel.
      std::tuple<double, Minutes, Minutes> best;
      int first = -1, second = -1;
      Minutes common = 0;
      for (size_t i = 0; i < candidates.size(); ++i) {
        for (size_t j = i + 1; j < candidates.size(); ++j) {
          const Candidate& a = candidates[i];
          const Candidate& b = candidates[j];
          if (PersonOf(a.route) == PersonOf(b.route)) continue;
          const Minutes start = std::max(a.start, b.start);
          auto score =
              std::make_tuple(-(a.familiarity + b.familiarity), a.travel + b.travel, start);
          if (first >= 0 && !(score < best)) continue;
          if (!Fits(a.route, visit, start) || !Fits(b.route, visit, start)) continue;
          best = score;
          first = a.route;
          second = b.route;
          common = start;
        }
      }
      if (first >= 0) {
        Assign(first, v, common);
        Assign(second, v, common);
        return;
      }
    }
    solution_.unassigned.push_back({v, qualified_ ? solver::UnassignedReason::kNoFeasiblePosition
                                                  : solver::UnassignedReason::kNoQualifiedCarer});
  }

  const solver::Problem& problem_;
  const GreedyOptions options_;
  std::vector<RouteState> routes_;
  std::vector<Minutes> person_working_;
  bool qualified_ = false;
  solver::Solution solution_;
};

}  // namespace

absl::StatusOr<solver::Solution> GreedyPlan(const solver::Problem& problem,
                                            const GreedyOptions& options) {
  if (!problem.links.empty()) {
    return absl::InvalidArgumentError("the greedy baselines do not handle linked visits");
  }
  return Planner(problem, options).Run();
}

}  // namespace homecare::bench
