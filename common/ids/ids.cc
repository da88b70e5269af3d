#include "common/ids/ids.h"

#include <openssl/rand.h>
#include <openssl/sha.h>

#include <array>
#include <cstdint>
#include <cstdlib>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "common/status/errors.h"

namespace homecare {
namespace {

constexpr char kBase32Alphabet[] = "abcdefghijklmnopqrstuvwxyz234567";

std::string Base32(const uint8_t* data, size_t size) {
  std::string out;
  uint32_t buffer = 0;
  int bits = 0;
  for (size_t i = 0; i < size; ++i) {
    buffer = (buffer << 8) | data[i];
    bits += 8;
    while (bits >= 5) {
      out.push_back(kBase32Alphabet[(buffer >> (bits - 5)) & 31]);
      bits -= 5;
    }
  }
  if (bits > 0) out.push_back(kBase32Alphabet[(buffer << (5 - bits)) & 31]);
  return out;
}

std::array<uint8_t, 16> RandomBytes() {
  std::array<uint8_t, 16> bytes;
  // RAND_bytes fails only when the OS cannot seed it; ids must then not be made at all.
  if (RAND_bytes(bytes.data(), bytes.size()) != 1) std::abort();
  return bytes;
}

}  // namespace

std::string RandomId(absl::string_view prefix) {
  std::array<uint8_t, 16> bytes = RandomBytes();
  return absl::StrCat(prefix, "_", Base32(bytes.data(), bytes.size()));
}

std::string DeterministicId(absl::string_view prefix,
                            std::initializer_list<absl::string_view> parts) {
  std::string framed;
  for (absl::string_view part : parts) {
    uint64_t length = part.size();
    for (int i = 0; i < 8; ++i) framed.push_back(static_cast<char>(length >> (8 * i)));
    framed.append(part.data(), part.size());
  }
  uint8_t digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const uint8_t*>(framed.data()), framed.size(), digest);
  return absl::StrCat(prefix, "_", Base32(digest, 16));
}

std::string RandomUuid() {
  std::array<uint8_t, 16> bytes = RandomBytes();
  bytes[6] = (bytes[6] & 0x0f) | 0x40;  // version 4
  bytes[8] = (bytes[8] & 0x3f) | 0x80;  // RFC 4122 variant
  std::string hex = absl::BytesToHexString(
      absl::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size()));
  return absl::StrCat(hex.substr(0, 8), "-", hex.substr(8, 4), "-", hex.substr(12, 4), "-",
                      hex.substr(16, 4), "-", hex.substr(20));
}

std::string Sha256Hex(absl::string_view data) {
  uint8_t digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const uint8_t*>(data.data()), data.size(), digest);
  return absl::BytesToHexString(
      absl::string_view(reinterpret_cast<const char*>(digest), sizeof(digest)));
}

absl::Status ValidateId(absl::string_view field, absl::string_view id) {
  if (id.empty()) return InvalidArgumentError(field, "must not be empty");
  if (id.size() > 64) return InvalidArgumentError(field, "must be at most 64 characters");
  for (char c : id) {
    if (!absl::ascii_isalnum(static_cast<unsigned char>(c)) && c != '_' && c != '-') {
      return InvalidArgumentError(field, "may contain only letters, digits, '_' and '-'");
    }
  }
  return absl::OkStatus();
}

absl::Status ValidateSlug(absl::string_view field, absl::string_view slug) {
  if (slug.size() < 3 || slug.size() > 40) {
    return InvalidArgumentError(field, "must be 3 to 40 characters");
  }
  if (!absl::ascii_islower(static_cast<unsigned char>(slug[0]))) {
    return InvalidArgumentError(field, "must start with a lower-case letter");
  }
  for (char c : slug) {
    if (!absl::ascii_islower(static_cast<unsigned char>(c)) &&
        !absl::ascii_isdigit(static_cast<unsigned char>(c)) && c != '-') {
      return InvalidArgumentError(field, "may contain only lower-case letters, digits and '-'");
    }
  }
  return absl::OkStatus();
}

}  // namespace homecare
