#include "services/scheduling/solver/insertion.h"

#include <algorithm>
#include <cmath>

namespace homecare::scheduling::solver {
namespace {

// Positive cycles are caught as they form (below); a task pushed this often without one is left
// to the full reschedule, which is exact but slower.
constexpr int kMaxUpdates = 64;

}  // namespace

void ApplyInsertion(const Insertion& insertion, Plan& plan) {
  if (insertion.size == 2 && insertion.route[0] == insertion.route[1]) {
    // Insert the later position first so the earlier index still points where it should; at equal
    // positions inserting task[1] first leaves task[0] in front of it.
    const int route = insertion.route[0];
    if (insertion.position[0] <= insertion.position[1]) {
      plan.Insert(insertion.task[1], route, insertion.position[1]);
      plan.Insert(insertion.task[0], route, insertion.position[0]);
    } else {
      plan.Insert(insertion.task[0], route, insertion.position[0]);
      plan.Insert(insertion.task[1], route, insertion.position[1]);
    }
    return;
  }
  for (int i = 0; i < insertion.size; ++i) {
    plan.Insert(insertion.task[i], insertion.route[i], insertion.position[i]);
  }
}

InsertionEvaluator::InsertionEvaluator(const TaskModel& model)
    : model_(model),
      label_(model.num_tasks(), 0),
      parent_(model.num_tasks(), -1),
      seen_(model.num_tasks(), 0),
      queued_(model.num_tasks(), 0),
      updates_(model.num_tasks(), 0),
      exact_(model) {}

int InsertionEvaluator::NextOf(const Plan& plan, int task) const {
  const int i = InsertedIndex(task);
  if (i >= 0) return succ_[i];
  for (int k = 0; k < overrides_; ++k) {
    if (override_from_[k] == task) return override_to_[k];
  }
  return plan.next(task);
}

int InsertionEvaluator::RouteOf(const Plan& plan, int task) const {
  const int i = InsertedIndex(task);
  return i >= 0 ? routes_[i] : plan.route_of(task);
}

Minutes InsertionEvaluator::Current(const Plan& plan, int task) const {
  if (seen_[task] == stamp_) return label_[task];
  if (InsertedIndex(task) >= 0) return -kUnlimited;
  return plan.start(task);
}

bool InsertionEvaluator::Relax(const Plan& plan, int task, Minutes candidate, int parent) {
  const Task& t = model_.task(task);
  if (candidate <= t.earliest) {
    // The window's opening, not the pusher, decides the start.
    candidate = t.earliest;
    parent = -1;
  }
  const Minutes current = Current(plan, task);
  if (candidate <= current + kTimeTolerance) return true;
  if (candidate > t.latest) return false;
  // Each pushed task remembers which task pushed it last. If the task is an ancestor of its new
  // pusher, the pushes go round a cycle of positive length: no schedule exists (the longest-path
  // form of the parent-graph test for negative cycles). Every new cycle runs through an inserted
  // task (all new constraints touch one), and a task pushed for the first time has no
  // descendants yet, so only repeated pushes of inserted tasks need the walk.
  // A walk longer than the pushed tasks has entered such a cycle elsewhere.
  if (seen_[task] == stamp_ && InsertedIndex(task) >= 0) {
    size_t steps = 0;
    for (int a = parent; a >= 0; a = seen_[a] == stamp_ ? parent_[a] : -1) {
      if (a == task || ++steps > changed_.size()) return false;
    }
  }
  const Minutes old_lateness = current == -kUnlimited ? 0 : std::max<Minutes>(0, current - t.due);
  const Minutes new_lateness = std::max<Minutes>(0, candidate - t.due);
  lateness_delta_ += new_lateness - old_lateness;
  max_lateness_ = std::max(max_lateness_, new_lateness);
  if (seen_[task] != stamp_) {
    seen_[task] = stamp_;
    updates_[task] = 0;
    changed_.push_back(task);
  }
  label_[task] = candidate;
  parent_[task] = parent;
  if (++updates_[task] > kMaxUpdates) {
    revisited_ = true;
    return false;
  }
  if (queued_[task] != stamp_) {
    queued_[task] = stamp_;
    queue_.push_back(task);
  }
  return true;
}

double InsertionEvaluator::Exact(const Plan& plan, const Insertion& insertion) {
  ++fallbacks_;
  exact_ = plan;
  ApplyInsertion(insertion, exact_);
  if (!exact_.Refresh()) return kInfeasible;
  result_max_ = exact_.parts().max_lateness;
  for (int i = 0; i < insertion.size; ++i) result_start_[i] = exact_.start(insertion.task[i]);
  const double unassigned_weight = model_.weights().unassigned_visit;
  return (exact_.cost() - unassigned_weight * exact_.parts().unassigned_factors) -
         (plan.cost() - unassigned_weight * plan.parts().unassigned_factors);
}

double InsertionEvaluator::Evaluate(const Plan& plan, const Insertion& insertion, double bound) {
  ++evaluations_;
  const TaskModel& m = model_;
  const ObjectiveWeights& w = m.weights();
  count_ = insertion.size;
  overrides_ = 0;
  double base = 0;
  for (int i = 0; i < count_; ++i) {
    tasks_[i] = insertion.task[i];
    routes_[i] = insertion.route[i];
    if (!m.eligible(tasks_[i], routes_[i])) return kInfeasible;
    base += m.assignment_cost(tasks_[i], routes_[i]) +
            plan.ClientCarerCost(tasks_[i], routes_[i], i == 1 ? tasks_[0] : -1,
                                 i == 1 ? routes_[0] : -1);
    const Task& task = m.task(tasks_[i]);
    // A partner already in the plan must not share the route when the link forbids it.
    if (task.partner >= 0 && task.distinct_from_partner && plan.assigned(task.partner) &&
        m.same_person(plan.route_of(task.partner), routes_[i])) {
      return kInfeasible;
    }
  }
  if (count_ == 2 && m.same_person(routes_[0], routes_[1]) &&
      m.task(tasks_[0]).partner == tasks_[1] && m.task(tasks_[0]).distinct_from_partner) {
    return kInfeasible;
  }

  // Where each inserted task sits; pred = -1 is the start of the shift, succ = -1 its end.
  int pred[2] = {-1, -1};
  auto add_override = [&](int from, int to) {
    if (from < 0) return;
    override_from_[overrides_] = from;
    override_to_[overrides_] = to;
    ++overrides_;
  };
  auto travel_between = [&](int route, int from_task, int to_task) {
    return m.leg(route, plan.location_after(route, from_task),
                 plan.location_before(route, to_task));
  };
  auto fits_work = [&](int route, Minutes added) {
    return WithinWorkingTime(plan.route_work(route) + added, plan.route_max_work(route));
  };
  if (count_ == 2 && routes_[0] == routes_[1]) {
    const int route = routes_[0];
    const std::vector<int>& r = plan.route(route);
    const int n = static_cast<int>(r.size());
    const int a = insertion.position[0] <= insertion.position[1] ? 0 : 1;
    const int b = 1 - a;
    const int pa = insertion.position[a];
    const int pb = insertion.position[b];
    pred[a] = pa > 0 ? r[pa - 1] : -1;
    Minutes added = m.task(tasks_[a]).duration + m.task(tasks_[b]).duration;
    if (pa == pb) {
      succ_[a] = tasks_[b];
      pred[b] = tasks_[a];
      succ_[b] = pb < n ? r[pb] : -1;
      add_override(pred[a], tasks_[a]);
      added += m.leg_to(route, plan.location_after(route, pred[a]), m.task(tasks_[a]).location) +
               m.task_leg(route, tasks_[a], tasks_[b]) +
               m.leg(route, m.task(tasks_[b]).location, plan.location_before(route, succ_[b])) -
               (n > 0 ? travel_between(route, pred[a], succ_[b]) : 0);
    } else {
      succ_[a] = r[pa];
      pred[b] = r[pb - 1];
      succ_[b] = pb < n ? r[pb] : -1;
      add_override(pred[a], tasks_[a]);
      add_override(pred[b], tasks_[b]);
      for (int i : {a, b}) {
        added += m.leg_to(route, plan.location_after(route, pred[i]), m.task(tasks_[i]).location) +
                 m.leg(route, m.task(tasks_[i]).location, plan.location_before(route, succ_[i])) -
                 travel_between(route, pred[i], succ_[i]);
      }
    }
    if (!fits_work(route, added)) return kInfeasible;
    base += w.travel * (added - m.task(tasks_[a]).duration - m.task(tasks_[b]).duration);
  } else {
    Minutes added[2] = {0, 0};
    for (int i = 0; i < count_; ++i) {
      const int route = routes_[i];
      const std::vector<int>& r = plan.route(route);
      const int n = static_cast<int>(r.size());
      const int p = insertion.position[i];
      pred[i] = p > 0 ? r[p - 1] : -1;
      succ_[i] = p < n ? r[p] : -1;
      add_override(pred[i], tasks_[i]);
      const int location = m.task(tasks_[i]).location;
      const Minutes travel = m.leg_to(route, plan.location_after(route, pred[i]), location) +
                             m.leg(route, location, plan.location_before(route, succ_[i])) -
                             (n > 0 ? travel_between(route, pred[i], succ_[i]) : 0);
      added[i] = travel + m.task(tasks_[i]).duration;
      if (!fits_work(route, added[i])) return kInfeasible;
      base += w.travel * travel;
    }
    // Two stretches of one person: each route's limit counts the other as it is, so the two
    // additions must fit that person's time together.
    if (count_ == 2 && m.same_person(routes_[0], routes_[1]) &&
        !fits_work(routes_[0], added[0] + added[1])) {
      return kInfeasible;
    }
  }

  // Earliest starts from the predecessors, then the link between the two inserted tasks.
  Minutes seed[2] = {-kUnlimited, -kUnlimited};
  bool seeded[2] = {false, false};
  for (int i = 0; i < count_; ++i) {
    if (InsertedIndex(pred[i]) >= 0) continue;
    const int route = routes_[i];
    const Task& task = m.task(tasks_[i]);
    Minutes t = std::max(task.earliest,
                         plan.ready_time(route, pred[i]) +
                             m.leg_to(route, plan.location_after(route, pred[i]), task.location));
    if (task.partner >= 0 && InsertedIndex(task.partner) < 0 && plan.assigned(task.partner)) {
      t = std::max(t, plan.start(task.partner) + m.task(task.partner).gap_min);
    }
    seed[i] = t;
    seeded[i] = true;
  }
  if (count_ == 2 && seeded[0] && seeded[1] && m.task(tasks_[0]).partner == tasks_[1]) {
    seed[0] = std::max(seed[0], seed[1] + m.task(tasks_[1]).gap_min);
    seed[1] = std::max(seed[1], seed[0] + m.task(tasks_[0]).gap_min);
  }
  const Minutes old_max = plan.parts().max_lateness;
  {
    double own = 0;
    Minutes own_max = old_max;
    for (int i = 0; i < count_; ++i) {
      if (!seeded[i]) continue;
      const Minutes late = std::max<Minutes>(0, seed[i] - m.task(tasks_[i]).due);
      own += late;
      own_max = std::max(own_max, late);
    }
    const double lower = base + w.total_lateness * own + w.max_lateness * (own_max - old_max);
    if (lower >= bound) {
      result_max_ = own_max;
      return lower;
    }
  }

  if (++stamp_ == 0) {
    std::fill(seen_.begin(), seen_.end(), 0);
    std::fill(queued_.begin(), queued_.end(), 0);
    stamp_ = 1;
  }
  queue_.clear();
  changed_.clear();
  lateness_delta_ = 0;
  max_lateness_ = old_max;
  revisited_ = false;
  for (int i = 0; i < count_; ++i) {
    if (seeded[i] && !Relax(plan, tasks_[i], seed[i], -1)) {
      return revisited_ ? Exact(plan, insertion) : kInfeasible;
    }
  }
  for (size_t head = 0; head < queue_.size(); ++head) {
    const int x = queue_[head];
    queued_[x] = 0;
    const Minutes t = label_[x];
    const Task& task = m.task(x);
    const int after = NextOf(plan, x);
    const int route = RouteOf(plan, x);
    if (after >= 0) {
      if (!Relax(plan, after, t + task.duration + m.task_leg(route, x, after), x)) {
        return revisited_ ? Exact(plan, insertion) : kInfeasible;
      }
    } else {
      const CarerShift& carer = m.carer(route);
      if (t + task.duration + m.leg(route, task.location, carer.end_location) >
          carer.shift_end + kTimeTolerance) {
        return kInfeasible;
      }
    }
    if (task.partner >= 0 && (InsertedIndex(task.partner) >= 0 || plan.assigned(task.partner))) {
      if (!Relax(plan, task.partner, t + task.gap_min, x)) {
        return revisited_ ? Exact(plan, insertion) : kInfeasible;
      }
    }
    const double partial =
        base + w.total_lateness * lateness_delta_ + w.max_lateness * (max_lateness_ - old_max);
    if (partial >= bound) {
      result_max_ = max_lateness_;
      return partial;
    }
  }
  result_max_ = max_lateness_;
  for (int i = 0; i < count_; ++i) result_start_[i] = label_[tasks_[i]];
  return base + w.total_lateness * lateness_delta_ + w.max_lateness * (max_lateness_ - old_max);
}

}  // namespace homecare::scheduling::solver
