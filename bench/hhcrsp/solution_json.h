// Writes a solved benchmark instance in the solution format of the data README.
#ifndef BENCH_HHCRSP_SOLUTION_JSON_H_
#define BENCH_HHCRSP_SOLUTION_JSON_H_

#include <string>

#include "bench/hhcrsp/hhcrsp_instance.h"
#include "services/scheduling/solver/solver.h"

namespace homecare::bench {

// The objective is the benchmark's: (travel + total tardiness + maximum tardiness) / 3.
std::string SolutionToJson(const std::string& instance_name, const BenchmarkModel& model,
                           const scheduling::solver::Solution& solution, double seconds);

}  // namespace homecare::bench

#endif  // BENCH_HHCRSP_SOLUTION_JSON_H_
