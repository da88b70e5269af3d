// Records as every store hands them to domain code, whatever keeps them. No gRPC, no Redis.
#ifndef HOMECARE_COMMON_API_RECORDS_H_
#define HOMECARE_COMMON_API_RECORDS_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"

namespace homecare {

// A record as read, with the bytes a conditional write compares against (a write applies only
// if the stored record is still exactly these bytes).
template <typename Record>
struct Snapshot {
  Record record;
  std::string bytes;  // empty when the record does not exist yet
};

// What a create-once write made: the record stored under the new id, and whether the call was
// a retry of the request that made it.
template <typename Record>
struct Created {
  Record record;           // as stored
  bool duplicate = false;  // a retry of the request that made it: the first call's record
};

// A page of ids from an index ordered by an instant (absences by start, visits by planned
// start), then by id among equal instants.
struct ScoredIdPage {
  std::vector<std::string> ids;
  std::string last_cursor;  // of the last id in the page; pass back as `after`
  bool exhausted = false;   // nothing follows the page
};

// DATA_LOSS: what the store holds under a record's key is not the record.
inline absl::Status CorruptRecord(absl::string_view what) {
  return absl::DataLossError(absl::StrCat("stored ", what, " does not parse"));
}

}  // namespace homecare

#endif  // HOMECARE_COMMON_API_RECORDS_H_
