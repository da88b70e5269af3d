// Command-line flags with environment-variable fallbacks, for services and tools.
//
// Each flag `--some-name` falls back to `<PREFIX>SOME_NAME` in the environment (HOMECARE_ by
// default), then to the default the caller gave. A flag set is an ordinary object, not global
// state, so that tests build configurations without touching process-wide flags.
#ifndef HOMECARE_COMMON_CONFIG_FLAGS_H_
#define HOMECARE_COMMON_CONFIG_FLAGS_H_

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace homecare {

class FlagSet {
 public:
  // Returns the value of an environment variable, or nullopt when unset.
  using EnvLookup = std::function<std::optional<std::string>(const std::string&)>;

  explicit FlagSet(std::string program, std::string env_prefix = "HOMECARE_");

  // Each registers `--name` ('-' and '_' are interchangeable) writing into `*value`, whose
  // current content is the default shown in the usage text.
  void AddString(absl::string_view name, std::string* value, absl::string_view help);
  void AddInt(absl::string_view name, int64_t* value, absl::string_view help);
  void AddInt(absl::string_view name, int* value, absl::string_view help);
  void AddDouble(absl::string_view name, double* value, absl::string_view help);
  // Accepts --name, --name=true|false|1|0, and --no-name.
  void AddBool(absl::string_view name, bool* value, absl::string_view help);
  // Accepts absl durations: "250ms", "2s", "1h30m".
  void AddDuration(absl::string_view name, absl::Duration* value, absl::string_view help);

  // Applies the environment, then `args` (without the program name; "--" ends the flags).
  // Returns the positional arguments. Unknown flags and bad values are INVALID_ARGUMENT naming
  // the flag, an unknown one with the nearest known flag. "--help" sets help_requested() and stops
  // parsing.
  absl::StatusOr<std::vector<std::string>> Parse(const std::vector<std::string>& args,
                                                 const EnvLookup& env = ProcessEnv);
  absl::StatusOr<std::vector<std::string>> Parse(int argc, char** argv,
                                                 const EnvLookup& env = ProcessEnv);

  bool help_requested() const { return help_requested_; }
  std::string Usage() const;
  const std::string& program() const { return program_; }
  // The canonical names of the flags, in the order added.
  std::vector<std::string> Names() const;

  // The environment of this process.
  static std::optional<std::string> ProcessEnv(const std::string& name);

 private:
  struct Flag {
    std::string name;  // canonical: words joined by '-'
    std::string help;
    std::string default_text;
    bool is_bool = false;
    // Parses and stores a value; returns false when the text is not a valid value.
    std::function<bool(absl::string_view)> set;
  };

  void Add(absl::string_view name, absl::string_view help, std::string default_text, bool is_bool,
           std::function<bool(absl::string_view)> set);
  Flag* Find(absl::string_view name);
  std::string EnvName(const Flag& flag) const;

  std::string program_;
  std::string env_prefix_;
  std::vector<Flag> flags_;
  bool help_requested_ = false;
};

// The candidate nearest to `word` by edit distance, for a "did you mean" hint; empty when none
// is near enough to be a likely typo (more than a third of the letters differ).
std::string NearestName(absl::string_view word, const std::vector<std::string>& candidates);

}  // namespace homecare

#endif  // HOMECARE_COMMON_CONFIG_FLAGS_H_
