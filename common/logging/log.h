// Minimal structured logging to stderr (Abseil 20220623 has no absl/log). One line per event,
// written whole so that lines from different threads never interleave.
#ifndef HOMECARE_COMMON_LOGGING_LOG_H_
#define HOMECARE_COMMON_LOGGING_LOG_H_

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"

namespace homecare {

enum class LogLevel { kInfo, kWarning, kError };

// Prefixes every line, e.g. with the service name; set once at start-up.
void SetLogPrefix(absl::string_view prefix);

void Log(LogLevel level, absl::string_view message);

template <typename... Args>
void LogInfo(const Args&... args) {
  Log(LogLevel::kInfo, absl::StrCat(args...));
}
template <typename... Args>
void LogWarning(const Args&... args) {
  Log(LogLevel::kWarning, absl::StrCat(args...));
}
template <typename... Args>
void LogError(const Args&... args) {
  Log(LogLevel::kError, absl::StrCat(args...));
}

}  // namespace homecare

#endif  // HOMECARE_COMMON_LOGGING_LOG_H_
