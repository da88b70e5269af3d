#include "common/server/test_clock.h"

#include <fstream>
#include <sstream>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "common/logging/log.h"

namespace homecare {
namespace {

bool SameVersion(const struct stat& a, const struct stat& b) {
  return a.st_ino == b.st_ino && a.st_dev == b.st_dev && a.st_size == b.st_size &&
         a.st_mtim.tv_sec == b.st_mtim.tv_sec && a.st_mtim.tv_nsec == b.st_mtim.tv_nsec;
}

absl::StatusOr<std::string> ReadWhole(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::NotFoundError(absl::StrCat("cannot read the test clock file ", path));
  std::ostringstream contents;
  contents << in.rdbuf();
  return contents.str();
}

}  // namespace

absl::StatusOr<absl::Time> ParseClockFile(absl::string_view contents) {
  const absl::string_view text = absl::StripAsciiWhitespace(contents);
  absl::Time time;
  std::string error;
  if (!absl::ParseTime(absl::RFC3339_full, text, &time, &error)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "a test clock file holds one RFC 3339 time such as 2030-12-02T08:00:00Z, not \"",
        text.substr(0, 64), "\": ", error));
  }
  return time;
}

absl::Status CheckTestClockAllowed(const char* allow_variable) {
  if (allow_variable != nullptr && absl::string_view(allow_variable) == "1") {
    return absl::OkStatus();
  }
  return absl::FailedPreconditionError(
      absl::StrCat("--test-clock is for tests and development only; set ", kAllowTestClockVariable,
                   "=1 in the environment to use it"));
}

absl::StatusOr<std::unique_ptr<FileClock>> FileClock::Open(std::string path) {
  struct stat seen {};
  if (stat(path.c_str(), &seen) != 0) {
    return absl::NotFoundError(absl::StrCat("no test clock file at ", path));
  }
  absl::StatusOr<std::string> contents = ReadWhole(path);
  if (!contents.ok()) return contents.status();
  absl::StatusOr<absl::Time> now = ParseClockFile(*contents);
  if (!now.ok()) return now.status();
  return std::unique_ptr<FileClock>(new FileClock(std::move(path), *now, seen));
}

absl::Time FileClock::Now() const {
  std::lock_guard<std::mutex> lock(mutex_);
  struct stat current {};
  if (stat(path_.c_str(), &current) != 0 || SameVersion(current, seen_)) return now_;
  seen_ = current;
  absl::StatusOr<std::string> contents = ReadWhole(path_);
  absl::StatusOr<absl::Time> now =
      contents.ok() ? ParseClockFile(*contents) : absl::StatusOr<absl::Time>(contents.status());
  if (!now.ok()) {
    LogWarning("test clock unchanged at ", absl::FormatTime(now_), ": ", now.status().message());
    return now_;
  }
  now_ = *now;
  return now_;
}

}  // namespace homecare
