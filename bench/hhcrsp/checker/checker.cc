#include "bench/hhcrsp/checker/checker.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdlib>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "bench/hhcrsp/checker/json.h"

namespace homecare::bench::checker {
namespace {

// Start times are written with round-trip precision; this only absorbs the arithmetic.
constexpr double kTimeTolerance = 1e-6;
constexpr double kRelativeTolerance = 1e-6;

struct Instance {
  int n = 0;  // nodes, depot copies included
  int v = 0;  // carers
  int s = 0;  // services
  std::map<std::string, std::vector<double>> sections;

  double At(const std::string& name, size_t i) const { return sections.at(name)[i]; }
  bool Requires(int node, int service) const { return At("r", size_t(node) * s + service) == 1; }
  bool Qualified(int carer, int service) const { return At("a", size_t(carer) * s + service) == 1; }
  double Distance(int from, int to) const { return At("d", size_t(from) * n + to); }
  // The duration row of this very carer.
  double Duration(int node, int carer, int service) const {
    return At("p", (size_t(node) * v + carer) * s + service);
  }
};

// Keyword lines start a section; the numbers up to the next keyword line belong to it.
bool ReadInstance(absl::string_view text, Instance* instance, std::vector<std::string>* errors) {
  std::istringstream lines{std::string(text)};
  std::string line;
  std::string section;
  while (std::getline(lines, line)) {
    std::istringstream words(line);
    std::string word;
    while (words >> word) {
      if (std::isalpha(static_cast<unsigned char>(word[0]))) {
        section = word;
        instance->sections[section];
        continue;
      }
      if (section.empty()) {
        errors->push_back("instance: a number before the first section");
        return false;
      }
      char* end = nullptr;
      const double value = std::strtod(word.c_str(), &end);
      if (end != word.c_str() + word.size()) {
        errors->push_back(
            absl::StrCat("instance: '", word, "' in section ", section, " is not a number"));
        return false;
      }
      instance->sections[section].push_back(value);
    }
  }
  for (const char* name :
       {"nbNodes", "nbVehi", "nbServi", "r", "DS", "a", "d", "p", "mind", "maxd", "e", "l"}) {
    if (instance->sections.count(name) == 0) {
      errors->push_back(absl::StrCat("instance: section ", name, " missing"));
      return false;
    }
  }
  instance->n = static_cast<int>(instance->At("nbNodes", 0));
  instance->v = static_cast<int>(instance->At("nbVehi", 0));
  instance->s = static_cast<int>(instance->At("nbServi", 0));
  const size_t n = instance->n, v = instance->v, s = instance->s;
  const std::pair<const char*, size_t> sizes[] = {{"r", n * s},     {"a", v * s}, {"d", n * n},
                                                  {"p", n * v * s}, {"mind", n},  {"maxd", n},
                                                  {"e", n},         {"l", n}};
  for (const auto& [name, size] : sizes) {
    if (instance->sections[name].size() != size) {
      errors->push_back(absl::StrCat("instance: section ", name, " has ",
                                     instance->sections[name].size(), " numbers, expected ", size));
      return false;
    }
  }
  return true;
}

bool Close(double a, double b) {
  return std::fabs(a - b) <= kRelativeTolerance * std::max(1.0, std::fabs(b));
}

}  // namespace

CheckReport CheckSolution(absl::string_view instance_text, absl::string_view solution_json) {
  CheckReport report;
  std::vector<std::string>& errors = report.errors;
  Instance in;
  if (!ReadInstance(instance_text, &in, &errors)) return report;
  absl::StatusOr<JsonValue> parsed = ParseJson(solution_json);
  if (!parsed.ok()) {
    errors.push_back(std::string(parsed.status().message()));
    return report;
  }
  const JsonValue& doc = *parsed;
  const JsonValue* routes = doc.Find("routes");
  if (routes == nullptr || routes->kind != JsonValue::Kind::kArray) {
    errors.push_back("solution: no routes array");
    return report;
  }

  // start[node][service] and carer[node][service] of every visit seen.
  const int n = in.n, s = in.s;
  std::vector<std::vector<int>> done(n, std::vector<int>(s, 0));
  std::vector<std::vector<double>> start(n, std::vector<double>(s, 0));
  std::vector<std::vector<int>> by(n, std::vector<int>(s, -1));
  std::vector<bool> carer_seen(in.v, false);
  const int depot = 0;

  for (const JsonValue& route : routes->items) {
    const JsonValue* carer_field = route.Find("carer");
    const JsonValue* visits = route.Find("visits");
    if (carer_field == nullptr || carer_field->kind != JsonValue::Kind::kNumber ||
        visits == nullptr || visits->kind != JsonValue::Kind::kArray) {
      errors.push_back("solution: a route without carer or visits");
      continue;
    }
    const int carer = static_cast<int>(carer_field->number);
    if (carer != carer_field->number || carer < 0 || carer >= in.v) {
      errors.push_back(absl::StrCat("route: carer ", carer_field->number, " does not exist"));
      continue;
    }
    if (carer_seen[carer]) errors.push_back(absl::StrCat("carer ", carer, " has two routes"));
    carer_seen[carer] = true;
    if (visits->items.empty()) continue;

    int at = depot;
    double free_at = 0;  // when the carer can leave `at`
    for (const JsonValue& visit : visits->items) {
      const JsonValue* node_field = visit.Find("node");
      const JsonValue* service_field = visit.Find("service");
      const JsonValue* start_field = visit.Find("start");
      if (node_field == nullptr || service_field == nullptr || start_field == nullptr) {
        errors.push_back(absl::StrCat("carer ", carer, ": a visit lacks node, service or start"));
        break;
      }
      const int node = static_cast<int>(node_field->number);
      const int service = static_cast<int>(service_field->number);
      const double t = start_field->number;
      const std::string where = absl::StrCat("carer ", carer, " node ", node, " service ", service);
      if (node < 1 || node > n - 2 || service < 0 || service >= s) {
        errors.push_back(where + ": not a patient's service");
        break;
      }
      if (!in.Requires(node, service)) errors.push_back(where + ": the patient does not need it");
      if (!in.Qualified(carer, service)) errors.push_back(where + ": carer not qualified");
      ++done[node][service];
      start[node][service] = t;
      by[node][service] = carer;
      report.travel += in.Distance(at, node);
      const double arrival = free_at + in.Distance(at, node);
      if (t < arrival - kTimeTolerance) {
        errors.push_back(absl::StrCat(where, ": starts at ", t, " before arriving at ", arrival));
      }
      if (t < in.At("e", node) - kTimeTolerance) {
        errors.push_back(absl::StrCat(where, ": starts at ", t, " before the window opens at ",
                                      in.At("e", node)));
      }
      const double tardiness = std::max(0.0, t - in.At("l", node));
      report.total_tardiness += tardiness;
      report.max_tardiness = std::max(report.max_tardiness, tardiness);
      free_at = t + in.Duration(node, carer, service);
      at = node;
    }
    report.travel += in.Distance(at, depot);
  }

  std::vector<bool> listed_double(n, false);
  for (double node : in.sections["DS"]) {
    if (node >= 2 && node <= n - 1) listed_double[static_cast<int>(node) - 1] = true;
  }
  for (int node = 1; node <= n - 2; ++node) {
    std::vector<int> services;
    for (int k = 0; k < s; ++k) {
      if (in.Requires(node, k)) {
        services.push_back(k);
        if (done[node][k] != 1) {
          errors.push_back(
              absl::StrCat("node ", node, " service ", k, " done ", done[node][k], " times"));
        }
      }
    }
    if (listed_double[node] != (services.size() == 2)) {
      errors.push_back(absl::StrCat("node ", node, ": DS and r disagree"));
    }
    if (services.size() != 2 || done[node][services[0]] != 1 || done[node][services[1]] != 1) {
      continue;
    }
    const int a = services[0], b = services[1];
    if (by[node][a] == by[node][b]) {
      errors.push_back(absl::StrCat("node ", node, ": both services by carer ", by[node][a]));
    }
    const double gap = start[node][b] - start[node][a];
    const double low = in.At("mind", node), high = in.At("maxd", node);
    if (gap < low - kTimeTolerance || gap > high + kTimeTolerance) {
      errors.push_back(absl::StrCat("node ", node, ": services start ", gap, " apart, outside [",
                                    low, ", ", high, "]"));
    }
  }

  report.objective = (report.travel + report.total_tardiness + report.max_tardiness) / 3.0;
  const std::pair<const char*, double> reported[] = {{"objective", report.objective},
                                                     {"travel", report.travel},
                                                     {"total_tardiness", report.total_tardiness},
                                                     {"max_tardiness", report.max_tardiness}};
  for (const auto& [name, value] : reported) {
    const JsonValue* field = doc.Find(name);
    if (field == nullptr || field->kind != JsonValue::Kind::kNumber) {
      errors.push_back(absl::StrCat("solution: ", name, " missing"));
    } else if (!Close(field->number, value)) {
      errors.push_back(
          absl::StrCat("solution: ", name, " is ", field->number, " but the routes give ", value));
    }
  }
  return report;
}

}  // namespace homecare::bench::checker
