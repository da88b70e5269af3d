// Checks benchmark solutions independently of the solver.
//
//   hhcrsp_check --instance FILE --solution FILE.json
// Prints the recomputed figures and exits 0 when the solution keeps every rule and its reported
// figures match; prints every problem and exits 1 otherwise.
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/strings/str_format.h"
#include "bench/hhcrsp/checker/checker.h"

ABSL_FLAG(std::string, instance, "", "instance file");
ABSL_FLAG(std::string, solution, "", "solution JSON file");

namespace {

bool ReadFile(const std::string& path, std::string* content) {
  std::ifstream file(path);
  if (!file) return false;
  std::stringstream buffer;
  buffer << file.rdbuf();
  *content = buffer.str();
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  std::string instance, solution;
  if (!ReadFile(absl::GetFlag(FLAGS_instance), &instance)) {
    std::cerr << "cannot read --instance " << absl::GetFlag(FLAGS_instance) << "\n";
    return 2;
  }
  if (!ReadFile(absl::GetFlag(FLAGS_solution), &solution)) {
    std::cerr << "cannot read --solution " << absl::GetFlag(FLAGS_solution) << "\n";
    return 2;
  }
  const homecare::bench::checker::CheckReport report =
      homecare::bench::checker::CheckSolution(instance, solution);
  for (const std::string& error : report.errors) std::cout << "ERROR " << error << "\n";
  std::cout << absl::StrFormat(
      "%s objective %.6f travel %.6f total_tardiness %.6f max_tardiness %.6f\n",
      report.ok() ? "OK" : "INVALID", report.objective, report.travel, report.total_tardiness,
      report.max_tardiness);
  return report.ok() ? 0 : 1;
}
