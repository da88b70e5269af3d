#include "tools/carectl/checkin_parsing.h"

#include <string>

#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "tools/carectl/format.h"
#include "tools/carectl/parsing_common.h"

namespace homecare::carectl {
namespace {

namespace cv1 = checkin::v1;

template <typename Enum>
absl::StatusOr<Enum> ParseWord(absl::string_view what, absl::string_view text) {
  static const auto* words = new std::map<std::string, Enum>(EnumWords<Enum>());
  return Lookup(what, text, *words);
}

// One "<id>=<word>[: <note>]" item of a ';'-separated list: the id, the word's value and the
// note, into `fill`.
template <typename Enum, typename Item, typename Fill>
absl::StatusOr<std::vector<Item>> ParseReports(absl::string_view what, absl::string_view text,
                                               Fill fill) {
  std::vector<Item> items;
  for (absl::string_view part : absl::StrSplit(text, ';', absl::SkipWhitespace())) {
    part = absl::StripAsciiWhitespace(part);
    std::pair<absl::string_view, absl::string_view> id_rest = absl::StrSplit(part, '=');
    absl::string_view id = absl::StripAsciiWhitespace(id_rest.first);
    if (id.empty() || id_rest.second.empty()) {
      return BadValue(what, part, "<id>=<word>[: <note>]");
    }
    std::pair<absl::string_view, absl::string_view> word_note =
        absl::StrSplit(id_rest.second, absl::MaxSplits(':', 1));
    absl::StatusOr<Enum> value = ParseWord<Enum>(what, word_note.first);
    if (!value.ok()) return value.status();
    Item item;
    fill(item, std::string(id), *value, std::string(absl::StripAsciiWhitespace(word_note.second)));
    items.push_back(std::move(item));
  }
  return items;
}

}  // namespace

absl::StatusOr<cv1::CheckInMethod> ParseCheckInMethod(absl::string_view text) {
  return ParseWord<cv1::CheckInMethod>("method", text);
}

absl::StatusOr<cv1::VisitOutcome> ParseVisitOutcome(absl::string_view text) {
  return ParseWord<cv1::VisitOutcome>("visit outcome", text);
}

absl::StatusOr<cv1::DeliveryState> ParseDeliveryState(absl::string_view text) {
  return ParseWord<cv1::DeliveryState>("delivery state", text);
}

absl::StatusOr<cv1::AdjustmentReason> ParseAdjustmentReason(absl::string_view text) {
  return ParseWord<cv1::AdjustmentReason>("reason", text);
}

absl::StatusOr<cv1::AdjustmentResolution> ParseAdjustmentResolution(absl::string_view text) {
  return ParseWord<cv1::AdjustmentResolution>("resolution", text);
}

absl::StatusOr<cv1::TagKind> ParseTagKind(absl::string_view text) {
  return ParseWord<cv1::TagKind>("tag kind", text);
}

absl::StatusOr<cv1::AlertKind> ParseAlertKind(absl::string_view text) {
  return ParseWord<cv1::AlertKind>("alert kind", text);
}

absl::StatusOr<cv1::AlertState> ParseAlertState(absl::string_view text) {
  return ParseWord<cv1::AlertState>("alert state", text);
}

absl::StatusOr<cv1::AlertResolution> ParseAlertResolution(absl::string_view text) {
  static const auto* words = [] {
    auto* all = new std::map<std::string, cv1::AlertResolution>(EnumWords<cv1::AlertResolution>());
    std::erase_if(*all, [](const auto& word) {
      return word.second < cv1::ALERT_RESOLUTION_CARER_ARRIVED_LATE;
    });
    return all;
  }();
  return Lookup("resolution", text, *words);
}

absl::StatusOr<std::vector<cv1::TaskOutcome>> ParseTaskOutcomes(absl::string_view text) {
  return ParseReports<cv1::TaskStatus, cv1::TaskOutcome>(
      "task", text,
      [](cv1::TaskOutcome& task, std::string id, cv1::TaskStatus status, std::string note) {
        task.set_task_id(std::move(id));
        task.set_status(status);
        task.set_note(std::move(note));
      });
}

absl::StatusOr<std::vector<cv1::OutcomeNote>> ParseOutcomeNotes(absl::string_view text) {
  return ParseReports<cv1::OutcomeProgress, cv1::OutcomeNote>(
      "outcome", text,
      [](cv1::OutcomeNote& outcome, std::string id, cv1::OutcomeProgress progress,
         std::string note) {
        outcome.set_outcome_id(std::move(id));
        outcome.set_progress(progress);
        outcome.set_note(std::move(note));
      });
}

}  // namespace homecare::carectl
