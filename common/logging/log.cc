#include "common/logging/log.h"

#include <unistd.h>

#include <mutex>
#include <string>

#include "absl/strings/str_format.h"
#include "absl/time/clock.h"

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

thread_local std::string current_request_id;

absl::string_view LevelName(LogLevel level) {
  switch (level) {
    case LogLevel::kInfo:
      return "info";
    case LogLevel::kWarning:
      return "warning";
    case LogLevel::kError:
      return "error";
  }
  return "?";
}

// A JSON string literal of `text`: quotes, backslashes and control characters escaped. Bytes
// of UTF-8 pass through; a message is the service's own text, or names what a client sent
// after common/text has checked it.
void AppendJsonString(std::string* out, absl::string_view text) {
  out->push_back('"');
  for (unsigned char c : text) {
    switch (c) {
      case '"':
        out->append("\\\"");
        break;
      case '\\':
        out->append("\\\\");
        break;
      case '\n':
        out->append("\\n");
        break;
      case '\r':
        out->append("\\r");
        break;
      case '\t':
        out->append("\\t");
        break;
      default:
        if (c < 0x20) {
          absl::StrAppendFormat(out, "\\u%04x", c);
        } else {
          out->push_back(static_cast<char>(c));
        }
    }
  }
  out->push_back('"');
}

void AppendField(std::string* out, absl::string_view name, absl::string_view value) {
  out->push_back(',');
  AppendJsonString(out, name);
  out->push_back(':');
  AppendJsonString(out, value);
}

}  // namespace

void SetLogPrefix(absl::string_view prefix) {
  std::lock_guard<std::mutex> lock(PrefixMutex());
  Prefix() = std::string(prefix);
}

std::string FormatLogLine(LogLevel level, absl::Time time, absl::string_view service,
                          absl::string_view message, absl::string_view request_id,
                          const LogFields& fields) {
  std::string line = "{\"time\":";
  AppendJsonString(&line, absl::FormatTime("%Y-%m-%dT%H:%M:%E3SZ", time, absl::UTCTimeZone()));
  AppendField(&line, "level", LevelName(level));
  if (!service.empty()) AppendField(&line, "service", service);
  AppendField(&line, "message", message);
  if (!request_id.empty()) AppendField(&line, "request_id", request_id);
  for (const auto& [name, value] : fields) AppendField(&line, name, value);
  line.append("}\n");
  return line;
}

void Log(LogLevel level, absl::string_view message, const LogFields& fields) {
  std::string prefix;
  {
    std::lock_guard<std::mutex> lock(PrefixMutex());
    prefix = Prefix();
  }
  const std::string line =
      FormatLogLine(level, absl::Now(), prefix, message, current_request_id, fields);
  // One write(2) per line keeps lines whole across threads and processes.
  ssize_t ignored = write(STDERR_FILENO, line.data(), line.size());
  (void)ignored;
}

ScopedRequestId::ScopedRequestId(std::string request_id)
    : previous_(std::exchange(current_request_id, std::move(request_id))) {}

ScopedRequestId::~ScopedRequestId() { current_request_id = std::move(previous_); }

const std::string& CurrentRequestId() { return current_request_id; }

}  // namespace homecare
