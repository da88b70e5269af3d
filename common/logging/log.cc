#include "common/logging/log.h"

#include <unistd.h>

#include <mutex>
#include <string>

#include "absl/time/clock.h"
#include "absl/time/time.h"

namespace homecare {
namespace {

std::mutex& PrefixMutex() {
  static std::mutex mutex;
  return mutex;
}

std::string& Prefix() {
  static std::string prefix;
  return prefix;
}

absl::string_view LevelName(LogLevel level) {
  switch (level) {
    case LogLevel::kInfo:
      return "I";
    case LogLevel::kWarning:
      return "W";
    case LogLevel::kError:
      return "E";
  }
  return "?";
}

}  // namespace

void SetLogPrefix(absl::string_view prefix) {
  std::lock_guard<std::mutex> lock(PrefixMutex());
  Prefix() = std::string(prefix);
}

void Log(LogLevel level, absl::string_view message) {
  std::string prefix;
  {
    std::lock_guard<std::mutex> lock(PrefixMutex());
    prefix = Prefix();
  }
  std::string line =
      absl::StrCat(LevelName(level), " ",
                   absl::FormatTime("%Y-%m-%dT%H:%M:%E3SZ", absl::Now(), absl::UTCTimeZone()), " ",
                   prefix, prefix.empty() ? "" : ": ", message, "\n");
  // One write(2) per line keeps lines whole across threads and processes.
  ssize_t ignored = write(STDERR_FILENO, line.data(), line.size());
  (void)ignored;
}

}  // namespace homecare
