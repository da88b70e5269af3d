#include "common/text/utf8.h"

#include <cstdint>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace homecare {
namespace {

constexpr absl::string_view kEllipsis = "\xE2\x80\xA6";  // U+2026

// Decodes the character at `text[at]`; its length in `length`. nullopt for invalid UTF-8
// (truncated, overlong, a surrogate, past U+10FFFF).
std::optional<uint32_t> DecodeAt(absl::string_view text, size_t at, size_t& length) {
  const auto byte = [&](size_t i) { return static_cast<uint8_t>(text[at + i]); };
  uint8_t lead = byte(0);
  uint32_t minimum = 0;
  uint32_t code_point = 0;
  if (lead < 0x80) {
    length = 1;
    return lead;
  } else if ((lead & 0xE0) == 0xC0) {
    length = 2, code_point = lead & 0x1F, minimum = 0x80;
  } else if ((lead & 0xF0) == 0xE0) {
    length = 3, code_point = lead & 0x0F, minimum = 0x800;
  } else if ((lead & 0xF8) == 0xF0) {
    length = 4, code_point = lead & 0x07, minimum = 0x10000;
  } else {
    return std::nullopt;
  }
  if (at + length > text.size()) return std::nullopt;
  for (size_t i = 1; i < length; ++i) {
    if ((byte(i) & 0xC0) != 0x80) return std::nullopt;
    code_point = (code_point << 6) | (byte(i) & 0x3F);
  }
  if (code_point < minimum || code_point > 0x10FFFF ||
      (code_point >= 0xD800 && code_point <= 0xDFFF)) {
    return std::nullopt;
  }
  return code_point;
}

// What a character would do on screen, for the ones that are refused.
const char* Hazard(uint32_t c, TextLines lines) {
  if (c == '\n') return lines == TextLines::kMultiple ? nullptr : "a line break";
  if (c < 0x20 || c == 0x7F || (c >= 0x80 && c <= 0x9F)) return "a control character";
  if (c == 0x202D || c == 0x202E) return "a bidirectional override";
  if (c >= 0x202A && c <= 0x202C) return "a bidirectional embedding";
  if (c >= 0x2066 && c <= 0x2069) return "a bidirectional isolate";
  if (c == 0x061C) return "a bidirectional mark";
  if (c == 0x2028 || c == 0x2029) return "a line or paragraph separator";
  if (c == 0x200B || c == 0x2060 || c == 0xFEFF) return "an invisible character";
  return nullptr;
}

}  // namespace

std::string ClipUtf8(absl::string_view text, size_t max_bytes) {
  if (text.size() <= max_bytes) return std::string(text);
  if (max_bytes < kEllipsis.size()) return std::string();
  size_t end = max_bytes - kEllipsis.size();
  // Back up over continuation bytes to the start of the character that would be cut.
  while (end > 0 && (static_cast<uint8_t>(text[end]) & 0xC0) == 0x80) --end;
  return absl::StrCat(text.substr(0, end), kEllipsis);
}

std::optional<std::string> DisallowedText(absl::string_view text, TextLines lines) {
  for (size_t at = 0; at < text.size();) {
    size_t length = 0;
    std::optional<uint32_t> c = DecodeAt(text, at, length);
    if (!c.has_value()) return absl::StrFormat("is not valid UTF-8 (at byte %d)", at);
    if (const char* hazard = Hazard(*c, lines); hazard != nullptr) {
      return absl::StrFormat("must not contain %s (U+%04X at byte %d)", hazard, *c, at);
    }
    at += length;
  }
  return std::nullopt;
}

}  // namespace homecare
