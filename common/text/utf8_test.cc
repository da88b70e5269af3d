#include "common/text/utf8.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace homecare {
namespace {

using ::testing::HasSubstr;
using ::testing::Optional;

TEST(ClipUtf8Test, ShortTextIsKept) { EXPECT_EQ(ClipUtf8("Ann Lee", 7), "Ann Lee"); }

TEST(ClipUtf8Test, LongTextEndsWithAnEllipsisWithinTheLimit) {
  std::string clipped = ClipUtf8("abcdefghij", 8);
  EXPECT_EQ(clipped, "abcde\xE2\x80\xA6");
  EXPECT_LE(clipped.size(), 8u);
}

TEST(ClipUtf8Test, NeverCutsACharacterInTwo) {
  // "é" is two bytes: a limit that would split it drops it whole.
  std::string text = "caf\xC3\xA9 au lait";
  EXPECT_EQ(ClipUtf8(text, 7), "caf\xE2\x80\xA6");
  EXPECT_EQ(ClipUtf8(text, 8), "caf\xC3\xA9\xE2\x80\xA6");
  EXPECT_FALSE(DisallowedText(ClipUtf8(text, 7), TextLines::kSingle).has_value());
}

TEST(ClipUtf8Test, TinyLimits) {
  EXPECT_EQ(ClipUtf8("abcdef", 2), "");
  EXPECT_EQ(ClipUtf8("abcdef", 3), "\xE2\x80\xA6");
}

TEST(DisallowedTextTest, OrdinaryTextInAnyScriptIsAllowed) {
  for (const char* text : {"Edna O'Brien-Clarke", "Zoë Ødegård", "محمد", "李小龙", "Ωμέγα",
                           "Key safe: 1234 (back door)", "👩‍⚕️ nurse", ""}) {
    EXPECT_EQ(DisallowedText(text, TextLines::kSingle), std::nullopt) << text;
  }
}

TEST(DisallowedTextTest, ControlCharactersAreRefused) {
  EXPECT_THAT(DisallowedText(std::string("Ann\0Lee", 7), TextLines::kSingle),
              Optional(HasSubstr("control character (U+0000 at byte 3)")));
  EXPECT_THAT(DisallowedText("Ann\x1B[31mLee", TextLines::kSingle), Optional(HasSubstr("U+001B")));
  EXPECT_THAT(DisallowedText("tab\there", TextLines::kMultiple), Optional(HasSubstr("U+0009")));
  EXPECT_THAT(DisallowedText("del\x7F", TextLines::kSingle), Optional(HasSubstr("U+007F")));
  EXPECT_THAT(DisallowedText("c1\xC2\x9B", TextLines::kSingle), Optional(HasSubstr("U+009B")));
}

TEST(DisallowedTextTest, NewlinesOnlyInMultilineText) {
  EXPECT_EQ(DisallowedText("Line one\nLine two", TextLines::kMultiple), std::nullopt);
  EXPECT_THAT(DisallowedText("Ann\nLee", TextLines::kSingle), Optional(HasSubstr("line break")));
  EXPECT_THAT(DisallowedText("a\r\nb", TextLines::kMultiple), Optional(HasSubstr("U+000D")));
}

TEST(DisallowedTextTest, CharactersThatChangeWhatIsDisplayedAreRefused) {
  EXPECT_THAT(DisallowedText("Ann \xE2\x80\xAE"
                             "eeL",
                             TextLines::kSingle),
              Optional(HasSubstr("bidirectional override (U+202E")));
  EXPECT_THAT(DisallowedText("\xE2\x81\xA6x", TextLines::kSingle),
              Optional(HasSubstr("isolate (U+2066")));
  EXPECT_THAT(DisallowedText("a\xE2\x80\xA8"
                             "b",
                             TextLines::kMultiple),
              Optional(HasSubstr("U+2028")));
  EXPECT_THAT(DisallowedText("a\xE2\x80\x8B"
                             "b",
                             TextLines::kSingle),
              Optional(HasSubstr("invisible character (U+200B")));
  EXPECT_THAT(DisallowedText("\xEF\xBB\xBFx", TextLines::kSingle), Optional(HasSubstr("U+FEFF")));
}

TEST(DisallowedTextTest, InvalidUtf8IsRefused) {
  for (const char* text : {"\xFF", "a\xC3", "\xC0\xAF", "\xED\xA0\x80", "\xF4\x90\x80\x80"}) {
    EXPECT_THAT(DisallowedText(text, TextLines::kSingle), Optional(HasSubstr("not valid UTF-8")))
        << text;
  }
}

}  // namespace
}  // namespace homecare
