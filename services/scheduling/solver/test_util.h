// Small builders for hand-made models in the solver's tests.
#ifndef SERVICES_SCHEDULING_SOLVER_TEST_UTIL_H_
#define SERVICES_SCHEDULING_SOLVER_TEST_UTIL_H_

#include <cmath>
#include <string>
#include <vector>

#include "services/scheduling/solver/model.h"

namespace homecare::scheduling::solver::testing {

// Places on a line; travel minutes are distances along it.
inline TravelMatrix LineTravel(const std::vector<double>& positions) {
  TravelMatrix travel;
  travel.size = static_cast<int>(positions.size());
  for (double from : positions) {
    for (double to : positions) travel.minutes.push_back(std::fabs(from - to));
  }
  return travel;
}

// Places in a plane at (xs[i], ys[i]); travel minutes are straight-line distances.
inline TravelMatrix PlaneTravel(const std::vector<double>& xs, const std::vector<double>& ys) {
  TravelMatrix travel;
  travel.size = static_cast<int>(xs.size());
  for (size_t i = 0; i < xs.size(); ++i) {
    for (size_t j = 0; j < xs.size(); ++j) {
      travel.minutes.push_back(std::hypot(xs[i] - xs[j], ys[i] - ys[j]));
    }
  }
  return travel;
}

inline Carer MakeCarer(SkillSet skills, int home = 0, Minutes shift_start = 0,
                       Minutes shift_end = kUnlimited) {
  static int next_id = 0;
  Carer carer;
  carer.id = "carer" + std::to_string(next_id++);
  carer.skills = skills;
  carer.start_location = carer.end_location = home;
  carer.shift_start = shift_start;
  carer.shift_end = shift_end;
  return carer;
}

inline Visit MakeVisit(int location, Minutes open, Minutes close, Minutes duration,
                       SkillSet skills = 0, int carers_required = 1) {
  static int next_id = 0;
  Visit visit;
  visit.id = "visit" + std::to_string(next_id++);
  visit.location = location;
  visit.window_start = open;
  visit.window_end = close;
  visit.duration = duration;
  visit.required_skills = skills;
  visit.carers_required = carers_required;
  return visit;
}

inline VisitLink MakeLink(int first, int second, Minutes min_gap, Minutes max_gap,
                          bool distinct = true) {
  VisitLink link;
  link.first_visit = first;
  link.second_visit = second;
  link.min_gap = min_gap;
  link.max_gap = max_gap;
  link.distinct_carers = distinct;
  return link;
}

}  // namespace homecare::scheduling::solver::testing

#endif  // SERVICES_SCHEDULING_SOLVER_TEST_UTIL_H_
