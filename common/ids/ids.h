// Identifiers: random ids for things the server creates one at a time, deterministic ids for
// things created in bulk (so that a retried partial write ends in the same state), and the
// rules an id must meet to be safe inside Redis keys and tokens.
#ifndef HOMECARE_COMMON_IDS_IDS_H_
#define HOMECARE_COMMON_IDS_IDS_H_

#include <initializer_list>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace homecare {

// `prefix` + "_" + 128 random bits from the OS's CSPRNG in lower-case base32 (26 characters).
std::string RandomId(absl::string_view prefix);

// `prefix` + "_" + the first 128 bits of SHA-256 over the length-prefixed parts, in base32:
// the same parts always give the same id, and ("ab","c") differs from ("a","bc").
std::string DeterministicId(absl::string_view prefix,
                            std::initializer_list<absl::string_view> parts);

// A random RFC 4122 version 4 UUID, as phones make for event ids.
std::string RandomUuid();

// Lower-case hex SHA-256 of `data`: request fingerprints for idempotent writes.
std::string Sha256Hex(absl::string_view data);

// An id that any of our APIs accept: 1 to 64 of [A-Za-z0-9_-]. Braces, colons and spaces could
// break out of a Redis key's hash tag or namespace, so they are refused. INVALID_ARGUMENT
// names `field`.
absl::Status ValidateId(absl::string_view field, absl::string_view id);

// A slug chosen by people (tenant, locality and employer ids): 3 to 40 of lower-case letters,
// digits and '-', starting with a letter.
absl::Status ValidateSlug(absl::string_view field, absl::string_view slug);

}  // namespace homecare

#endif  // HOMECARE_COMMON_IDS_IDS_H_
