// Structured logging to stderr (Abseil 20220623 has no absl/log): one JSON object a line,
// written whole so that lines from different threads never interleave, for a log collector to
// read as it is:
//
//   {"time":"2026-12-06T17:01:02.345Z","level":"info","service":"homecare-roster",
//    "message":"listening on 127.0.0.1:50051","request_id":"4f1c..."}
//
// "request_id" is that of the call the logging thread works on (ScopedRequestId), which follows
// the call into the services it calls (see common/server/rpc_observer.h).
#ifndef HOMECARE_COMMON_LOGGING_LOG_H_
#define HOMECARE_COMMON_LOGGING_LOG_H_

#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace homecare {

enum class LogLevel { kInfo, kWarning, kError };

// The "service" of every line, e.g. "homecare-roster"; set once at start-up.
void SetLogPrefix(absl::string_view prefix);

// Extra fields of a line, after the message ("method", "code"...).
using LogFields = std::vector<std::pair<std::string, std::string>>;

void Log(LogLevel level, absl::string_view message, const LogFields& fields = {});

// One line (with its newline) as Log writes it.
std::string FormatLogLine(LogLevel level, absl::Time time, absl::string_view service,
                          absl::string_view message, absl::string_view request_id,
                          const LogFields& fields);

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

// The request id of the call this thread works on, for as long as the scope lasts (scopes
// nest). Log adds it to each line; PrepareContext passes it on as x-request-id.
class ScopedRequestId {
 public:
  explicit ScopedRequestId(std::string request_id);
  ~ScopedRequestId();
  ScopedRequestId(const ScopedRequestId&) = delete;
  ScopedRequestId& operator=(const ScopedRequestId&) = delete;

 private:
  std::string previous_;
};
// Empty outside any call.
const std::string& CurrentRequestId();

}  // namespace homecare

#endif  // HOMECARE_COMMON_LOGGING_LOG_H_
