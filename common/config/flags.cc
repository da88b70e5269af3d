#include "common/config/flags.h"

#include <algorithm>
#include <cstdlib>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/strip.h"

namespace homecare {
namespace {

std::string CanonicalName(absl::string_view name) {
  return absl::StrReplaceAll(name, {{"_", "-"}});
}

bool ParseBool(absl::string_view text, bool* out) {
  std::string lower = absl::AsciiStrToLower(text);
  if (lower == "true" || lower == "1" || lower == "yes") {
    *out = true;
    return true;
  }
  if (lower == "false" || lower == "0" || lower == "no") {
    *out = false;
    return true;
  }
  return false;
}

// Levenshtein distance: insertions, deletions and substitutions.
size_t EditDistance(absl::string_view a, absl::string_view b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diagonal = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t substitute = diagonal + (a[i - 1] == b[j - 1] ? 0 : 1);
      diagonal = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, substitute});
    }
  }
  return row[b.size()];
}

}  // namespace

std::string NearestName(absl::string_view word, const std::vector<std::string>& candidates) {
  std::string best;
  size_t best_distance = 0;
  for (const std::string& candidate : candidates) {
    size_t distance = EditDistance(word, candidate);
    if (best.empty() || distance < best_distance) {
      best = candidate;
      best_distance = distance;
    }
  }
  // Short words are one or two keystrokes from many others; a hint then misleads.
  size_t allowed = std::max<size_t>(1, std::max(word.size(), best.size()) / 3);
  return best_distance <= allowed ? best : std::string();
}

FlagSet::FlagSet(std::string program, std::string env_prefix)
    : program_(std::move(program)), env_prefix_(std::move(env_prefix)) {}

void FlagSet::Add(absl::string_view name, absl::string_view help, std::string default_text,
                  bool is_bool, std::function<bool(absl::string_view)> set) {
  flags_.push_back(Flag{CanonicalName(name), std::string(help), std::move(default_text), is_bool,
                        std::move(set)});
}

void FlagSet::AddString(absl::string_view name, std::string* value, absl::string_view help) {
  Add(name, help, *value, false, [value](absl::string_view text) {
    *value = std::string(text);
    return true;
  });
}

void FlagSet::AddInt(absl::string_view name, int64_t* value, absl::string_view help) {
  Add(name, help, absl::StrCat(*value), false,
      [value](absl::string_view text) { return absl::SimpleAtoi(text, value); });
}

void FlagSet::AddInt(absl::string_view name, int* value, absl::string_view help) {
  Add(name, help, absl::StrCat(*value), false,
      [value](absl::string_view text) { return absl::SimpleAtoi(text, value); });
}

void FlagSet::AddDouble(absl::string_view name, double* value, absl::string_view help) {
  Add(name, help, absl::StrCat(*value), false,
      [value](absl::string_view text) { return absl::SimpleAtod(text, value); });
}

void FlagSet::AddBool(absl::string_view name, bool* value, absl::string_view help) {
  Add(name, help, *value ? "true" : "false", true,
      [value](absl::string_view text) { return ParseBool(text, value); });
}

void FlagSet::AddDuration(absl::string_view name, absl::Duration* value, absl::string_view help) {
  Add(name, help, absl::FormatDuration(*value), false, [value](absl::string_view text) {
    absl::Duration parsed;
    if (!absl::ParseDuration(std::string(text), &parsed) || parsed < absl::ZeroDuration()) {
      return false;
    }
    *value = parsed;
    return true;
  });
}

FlagSet::Flag* FlagSet::Find(absl::string_view name) {
  std::string canonical = CanonicalName(name);
  for (Flag& flag : flags_) {
    if (flag.name == canonical) return &flag;
  }
  return nullptr;
}

std::string FlagSet::EnvName(const Flag& flag) const {
  return absl::StrCat(env_prefix_,
                      absl::AsciiStrToUpper(absl::StrReplaceAll(flag.name, {{"-", "_"}})));
}

absl::StatusOr<std::vector<std::string>> FlagSet::Parse(int argc, char** argv,
                                                        const EnvLookup& env) {
  std::vector<std::string> args;
  for (int i = 1; i < argc; ++i) args.emplace_back(argv[i]);
  return Parse(args, env);
}

absl::StatusOr<std::vector<std::string>> FlagSet::Parse(const std::vector<std::string>& args,
                                                        const EnvLookup& env) {
  for (Flag& flag : flags_) {
    std::string env_name = EnvName(flag);
    std::optional<std::string> text = env(env_name);
    if (text.has_value() && !flag.set(*text)) {
      return absl::InvalidArgumentError(
          absl::StrCat("environment variable ", env_name, ": invalid value \"", *text, "\""));
    }
  }

  std::vector<std::string> positional;
  for (size_t i = 0; i < args.size(); ++i) {
    absl::string_view arg = args[i];
    if (arg == "--") {
      positional.insert(positional.end(), args.begin() + i + 1, args.end());
      break;
    }
    if (!absl::ConsumePrefix(&arg, "--")) {
      if (arg.size() > 1 && arg[0] == '-') {
        return absl::InvalidArgumentError(absl::StrCat("unknown flag ", arg));
      }
      positional.emplace_back(arg);
      continue;
    }
    if (arg == "help" || arg == "h") {
      help_requested_ = true;
      return positional;
    }
    absl::string_view name = arg;
    std::optional<std::string> value;
    if (size_t eq = arg.find('='); eq != absl::string_view::npos) {
      name = arg.substr(0, eq);
      value = std::string(arg.substr(eq + 1));
    }
    const absl::string_view given = name;
    Flag* flag = Find(name);
    if (flag == nullptr && !value.has_value() && absl::ConsumePrefix(&name, "no-")) {
      Flag* negated = Find(name);
      if (negated != nullptr && negated->is_bool) {
        negated->set("false");
        continue;
      }
      flag = nullptr;
    }
    if (flag == nullptr) {
      std::string nearest = NearestName(CanonicalName(given), Names());
      return absl::InvalidArgumentError(
          absl::StrCat("unknown flag --", given,
                       nearest.empty() ? "" : absl::StrCat("; did you mean --", nearest, "?")));
    }
    if (!value.has_value()) {
      if (flag->is_bool) {
        value = "true";
      } else if (i + 1 < args.size()) {
        value = args[++i];
      } else {
        return absl::InvalidArgumentError(absl::StrCat("flag --", flag->name, " needs a value"));
      }
    }
    if (!flag->set(*value)) {
      return absl::InvalidArgumentError(
          absl::StrCat("flag --", flag->name, ": invalid value \"", *value, "\""));
    }
  }
  return positional;
}

std::vector<std::string> FlagSet::Names() const {
  std::vector<std::string> names;
  for (const Flag& flag : flags_) names.push_back(flag.name);
  return names;
}

std::string FlagSet::Usage() const {
  std::string usage = absl::StrCat("Usage: ", program_, " [flags]\n");
  for (const Flag& flag : flags_) {
    absl::StrAppend(&usage, "  --", flag.name, flag.is_bool ? "" : " VALUE", "  (env ",
                    EnvName(flag), "; default \"", flag.default_text, "\")\n      ", flag.help,
                    "\n");
  }
  return usage;
}

std::optional<std::string> FlagSet::ProcessEnv(const std::string& name) {
  const char* value = std::getenv(name.c_str());
  if (value == nullptr) return std::nullopt;
  return std::string(value);
}

}  // namespace homecare
