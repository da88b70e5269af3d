// A minimal JSON reader for the checker: just enough for solution files, and written
// independently of everything the solver uses.
#ifndef BENCH_HHCRSP_CHECKER_JSON_H_
#define BENCH_HHCRSP_CHECKER_JSON_H_

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace homecare::bench::checker {

struct JsonValue {
  enum class Kind { kNull, kBool, kNumber, kString, kArray, kObject };
  Kind kind = Kind::kNull;
  bool boolean = false;
  double number = 0;
  std::string text;
  std::vector<JsonValue> items;
  std::map<std::string, JsonValue> fields;

  // The field, or nullptr when this is not an object or has no such field.
  const JsonValue* Find(const std::string& key) const;
};

absl::StatusOr<JsonValue> ParseJson(absl::string_view text);

}  // namespace homecare::bench::checker

#endif  // BENCH_HHCRSP_CHECKER_JSON_H_
