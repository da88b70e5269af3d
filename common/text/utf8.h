// Text that people type and other people read: what may be in it, and cutting it short without
// breaking a character. No dependencies, so that the status helpers can use it too.
#ifndef HOMECARE_COMMON_TEXT_UTF8_H_
#define HOMECARE_COMMON_TEXT_UTF8_H_

#include <cstddef>
#include <optional>
#include <string>

#include "absl/strings/string_view.h"

namespace homecare {

// The longest prefix of `text` of at most `max_bytes` bytes that does not end inside a UTF-8
// character; "…" (3 bytes, counted in `max_bytes`) marks that something was cut.
std::string ClipUtf8(absl::string_view text, size_t max_bytes);

enum class TextLines { kSingle, kMultiple };

// Why `text` must not be shown on a coordinator's screen as it is, or nullopt when it may:
// invalid UTF-8; a control character (C0, DEL, C1; with kMultiple a newline, "\n", is allowed,
// since notes have paragraphs); or a character that reorders or hides what is displayed
// (bidirectional overrides, embeddings and isolates, the line and paragraph separators, the
// zero-width and byte-order marks), which could make "Ann Lee" look like another name.
std::optional<std::string> DisallowedText(absl::string_view text, TextLines lines);

}  // namespace homecare

#endif  // HOMECARE_COMMON_TEXT_UTF8_H_
