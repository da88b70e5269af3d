#include "services/scheduling/solver/task_model.h"

#include <algorithm>
#include <cmath>

namespace homecare::scheduling::solver {
namespace {

bool Contains(const std::vector<int>& list, int value) {
  return std::find(list.begin(), list.end(), value) != list.end();
}

bool IsSymmetric(const TravelMatrix& matrix) {
  for (int from = 0; from < matrix.size; ++from) {
    for (int to = from + 1; to < matrix.size; ++to) {
      if (matrix(from, to) != matrix(to, from)) return false;
    }
  }
  return true;
}

}  // namespace

TaskModel::TaskModel(const Problem& problem, const ObjectiveWeights& weights)
    : problem_(&problem), weights_(weights) {
  locations_ = problem.travel.size;
  travel_ = problem.travel.minutes;
  for (const TravelMatrix& other : problem.other_travel) {
    travel_.insert(travel_.end(), other.minutes.begin(), other.minutes.end());
  }

  std::vector<char> profile_symmetric = {IsSymmetric(problem.travel)};
  for (const TravelMatrix& other : problem.other_travel) {
    profile_symmetric.push_back(IsSymmetric(other));
  }

  for (const Carer& carer : problem.carers) {
    CarerShift shift;
    shift.start_location = carer.start_location;
    shift.end_location = carer.end_location;
    shift.shift_start = carer.shift_start;
    shift.shift_end = carer.shift_end;
    shift.max_work = carer.max_working_minutes;
    shift.person = carer.person;
    route_offset_.push_back(carer.travel_profile * locations_ * locations_);
    symmetric_.push_back(profile_symmetric[carer.travel_profile]);
    identity_.push_back(carer.person >= 0 ? static_cast<int>(problem.carers.size()) + carer.person
                                          : static_cast<int>(carers_.size()));
    carers_.push_back(shift);
  }
  person_routes_.resize(problem.people.size());
  for (const Person& person : problem.people) {
    people_max_work_.push_back(person.max_working_minutes);
  }
  for (int c = 0; c < static_cast<int>(carers_.size()); ++c) {
    if (carers_[c].person >= 0) person_routes_[carers_[c].person].push_back(c);
  }

  const int num_visits = static_cast<int>(problem.visits.size());
  visit_tasks_.resize(num_visits);
  for (int v = 0; v < num_visits; ++v) {
    const Visit& visit = problem.visits[v];
    for (int slot = 0; slot < visit.carers_required; ++slot) {
      Task task;
      task.visit = v;
      task.slot = slot;
      task.location = visit.location;
      task.duration = visit.duration;
      task.earliest = visit.window_start;
      task.due = visit.window_end;
      visit_tasks_[v].push_back(static_cast<int>(tasks_.size()));
      tasks_.push_back(task);
    }
  }
  client_tasks_.resize(problem.clients.size());
  task_client_.resize(tasks_.size());
  for (int t = 0; t < static_cast<int>(tasks_.size()); ++t) {
    task_client_[t] = problem.visits[tasks_[t].visit].client;
    if (task_client_[t] >= 0) client_tasks_[task_client_[t]].push_back(t);
  }

  // Units: a double-up's two tasks start together and need two carers; a link ties two visits.
  std::vector<bool> in_unit(tasks_.size(), false);
  auto pair_up = [&](int first, int second, Minutes gap_min, Minutes gap_max, bool distinct) {
    Task& a = tasks_[first];
    Task& b = tasks_[second];
    a.partner = second;
    a.gap_min = gap_min;
    a.gap_max = gap_max;
    b.partner = first;
    b.gap_min = -gap_max;
    b.gap_max = -gap_min;
    a.distinct_from_partner = b.distinct_from_partner = distinct;
    Unit unit;
    unit.tasks[0] = first;
    unit.tasks[1] = second;
    unit.size = 2;
    a.unit = b.unit = static_cast<int>(units_.size());
    units_.push_back(unit);
    in_unit[first] = in_unit[second] = true;
  };
  for (int v = 0; v < num_visits; ++v) {
    if (problem.visits[v].carers_required == 2) {
      pair_up(visit_tasks_[v][0], visit_tasks_[v][1], 0, 0, true);
    }
  }
  for (const VisitLink& link : problem.links) {
    pair_up(visit_tasks_[link.first_visit][0], visit_tasks_[link.second_visit][0], link.min_gap,
            link.max_gap, link.distinct_carers);
  }
  for (int t = 0; t < num_tasks(); ++t) {
    if (in_unit[t]) continue;
    Unit unit;
    unit.tasks[0] = t;
    tasks_[t].unit = static_cast<int>(units_.size());
    units_.push_back(unit);
  }

  for (int u = 0; u < num_units(); ++u) {
    const Unit& unit = units_[u];
    double factor = problem.visits[tasks_[unit.tasks[0]].visit].unassigned_factor;
    if (unit_visits(u) == 2) {
      factor += problem.visits[tasks_[unit.tasks[1]].visit].unassigned_factor;
    }
    unit_unassigned_factor_.push_back(factor);
    has_extra_unassigned_factors_ |= factor != unit_visits(u);
  }

  const int num_carers = this->num_carers();
  eligible_.assign(tasks_.size() * num_carers, 0);
  eligible_carers_.resize(tasks_.size());
  carers_in_shift_.resize(tasks_.size());
  usual_carers_.resize(tasks_.size());
  assignment_cost_.assign(tasks_.size() * num_carers, 0.0);
  for (int t = 0; t < num_tasks(); ++t) {
    const Task& task = tasks_[t];
    const Visit& visit = problem.visits[task.visit];
    const Client* client = visit.client >= 0 ? &problem.clients[visit.client] : nullptr;
    const int pinned = task.slot < static_cast<int>(visit.pinned_carers.size())
                           ? visit.pinned_carers[task.slot]
                           : -1;
    for (int c = 0; c < num_carers; ++c) {
      const Carer& carer = problem.carers[c];
      bool ok = (visit.required_skills & ~carer.skills) == 0;
      if (pinned >= 0 && pinned != c) ok = false;
      double cost = 0;
      if (client != nullptr) {
        if (Contains(carer.never_visit_clients, visit.client)) ok = false;
        const bool gender_matches = client->preferred_gender == Gender::kUnspecified ||
                                    client->preferred_gender == carer.gender;
        if (!gender_matches) {
          if (client->gender_required) ok = false;
          cost += weights.gender_mismatch;
        }
        if (!client->preferred_carers.empty() && !Contains(client->preferred_carers, c)) {
          cost += weights.non_preferred_carer;
        }
        if (!client->known_carers.empty()) {
          cost +=
              weights.unknown_carer * client->unknown_carer_factor * (1 - Familiarity(*client, c));
        }
      }
      if (!visit.usual_carers.empty() && !Contains(visit.usual_carers, c)) {
        cost += weights.unusual_carer;
      }
      eligible_[t * num_carers + c] = ok ? 1 : 0;
      if (ok) eligible_carers_[t].push_back(c);
      if (ok && Contains(visit.usual_carers, c)) {
        usual_carers_[t].push_back(c);
        has_usual_carers_ = true;
      }
      assignment_cost_[t * num_carers + c] = cost;
    }
  }

  Minutes latest_begin = 0;
  Minutes sum = 0;
  for (const CarerShift& c : carers_) latest_begin = std::max(latest_begin, c.shift_start);
  for (const Task& task : tasks_) {
    latest_begin = std::max(latest_begin, task.earliest);
    Minutes longest_leg = 0;
    for (size_t profile = 0; profile <= problem.other_travel.size(); ++profile) {
      const size_t row = profile * locations_ * locations_ + task.location * locations_;
      for (int l = 0; l < locations_; ++l) longest_leg = std::max(longest_leg, travel_[row + l]);
    }
    sum += task.duration + longest_leg + std::max<Minutes>(0, task.gap_max);
  }
  horizon_ = latest_begin + sum + 1;
  for (Task& task : tasks_) {
    task.latest = std::min(problem.visits[task.visit].latest_start + kTimeTolerance, horizon_);
  }
  // Travel is never negative, so no schedule starts a task before its stretch opens or ends it
  // after the stretch closes.
  for (int t = 0; t < num_tasks(); ++t) {
    const Task& task = tasks_[t];
    for (int c : eligible_carers_[t]) {
      if (carers_[c].shift_start <= task.latest &&
          task.earliest + task.duration <= carers_[c].shift_end + kTimeTolerance) {
        carers_in_shift_[t].push_back(c);
      }
    }
  }
}

bool TaskModel::EligibleAreOnePerson(int task_a, int task_b) const {
  const std::vector<int>& a = eligible_carers_[task_a];
  const std::vector<int>& b = eligible_carers_[task_b];
  if (a.empty() || b.empty()) return false;
  const int who = identity_[a[0]];
  auto others = [&](const std::vector<int>& carers) {
    return std::any_of(carers.begin(), carers.end(), [&](int c) { return identity_[c] != who; });
  };
  return !others(a) && !others(b);
}

}  // namespace homecare::scheduling::solver
