// The clock of a service process under an integration test: "now" is read from a file that the
// test rewrites, so that rules about time (a visit that has ended, a late check-in, "today") are
// tested on chosen instants instead of sleeps or data dated years ahead.
//
// The file holds one RFC 3339 time ("2030-12-02T08:00:00Z"). The clock stands still at that
// instant until the file is replaced; a test moves it by writing a new file and renaming it over
// the old one, which every later Now() sees (the file is looked at on each call, and read again
// only when it changed).
//
// A service uses it only when started with --test-clock and HOMECARE_ALLOW_TEST_CLOCK=1 in its
// environment (see RunServiceMain): a flag alone, copied into a deployment by mistake, must not
// move a provider's "now".
#ifndef HOMECARE_COMMON_SERVER_TEST_CLOCK_H_
#define HOMECARE_COMMON_SERVER_TEST_CLOCK_H_

#include <sys/stat.h>

#include <memory>
#include <mutex>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "common/time/time.h"

namespace homecare {

// The environment variable that must be "1" for --test-clock to be accepted.
inline constexpr char kAllowTestClockVariable[] = "HOMECARE_ALLOW_TEST_CLOCK";

class FileClock final : public Clock {
 public:
  // Fails when the file cannot be read or does not hold an RFC 3339 time: a test that set its
  // clock wrongly must not run on another one.
  static absl::StatusOr<std::unique_ptr<FileClock>> Open(std::string path);

  // The time in the file. A file rewritten with something unreadable leaves the last good time
  // standing, with one warning in the log for each bad version; so does a removed file.
  absl::Time Now() const override;

 private:
  FileClock(std::string path, absl::Time now, struct stat seen)
      : path_(std::move(path)), now_(now), seen_(seen) {}

  const std::string path_;
  mutable std::mutex mutex_;
  mutable absl::Time now_;
  // The version of the file `now_` (or the last warning) came from.
  mutable struct stat seen_;
};

// Parses the contents of a clock file (surrounding whitespace allowed).
absl::StatusOr<absl::Time> ParseClockFile(absl::string_view contents);

// Whether a test clock may be used, from the value of kAllowTestClockVariable (null when unset).
absl::Status CheckTestClockAllowed(const char* allow_variable);

}  // namespace homecare

#endif  // HOMECARE_COMMON_SERVER_TEST_CLOCK_H_
