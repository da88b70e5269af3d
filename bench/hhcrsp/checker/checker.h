// An independent checker of benchmark solutions: it re-reads the instance file with its own
// parser, replays every route from the listed start times and recomputes the objective. It shares
// no code with the solver or its benchmark adapter.
#ifndef BENCH_HHCRSP_CHECKER_CHECKER_H_
#define BENCH_HHCRSP_CHECKER_CHECKER_H_

#include <string>
#include <vector>

#include "absl/strings/string_view.h"

namespace homecare::bench::checker {

struct CheckReport {
  // Every broken rule and every mismatch with the reported figures; empty when the solution is
  // valid.
  std::vector<std::string> errors;
  double travel = 0;
  double total_tardiness = 0;
  double max_tardiness = 0;
  double objective = 0;

  bool ok() const { return errors.empty(); }
};

// instance_text is the content of the instance file, solution_json the solution document.
CheckReport CheckSolution(absl::string_view instance_text, absl::string_view solution_json);

}  // namespace homecare::bench::checker

#endif  // BENCH_HHCRSP_CHECKER_CHECKER_H_
