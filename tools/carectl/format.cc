#include "tools/carectl/format.h"

#include <algorithm>
#include <cstdlib>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "common/time/time.h"
#include "google/protobuf/descriptor.h"

namespace homecare::carectl {
namespace {

// "VisitStatus" is "VISIT_STATUS_", the prefix the style guide gives its values.
std::string ValuePrefix(absl::string_view type_name) {
  std::string prefix;
  for (size_t i = 0; i < type_name.size(); ++i) {
    char c = type_name[i];
    if (i > 0 && absl::ascii_isupper(c)) prefix.push_back('_');
    prefix.push_back(absl::ascii_toupper(c));
  }
  return prefix + "_";
}

// Characters on screen: UTF-8 continuation bytes take no column.
size_t Width(absl::string_view text) {
  return std::count_if(text.begin(), text.end(),
                       [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; });
}

void Pad(std::string& line, absl::string_view cell, size_t width) {
  line.append(cell.data(), cell.size());
  line.append(width - Width(cell), ' ');
}

}  // namespace

bool IsSet(const google::protobuf::Timestamp& time) {
  return time.seconds() != 0 || time.nanos() != 0;
}

std::string FormatPence(int64_t pence) {
  const uint64_t magnitude = pence < 0 ? -static_cast<uint64_t>(pence) : pence;
  return absl::StrFormat("%s£%d.%02d", pence < 0 ? "-" : "", magnitude / 100, magnitude % 100);
}

std::string FormatDate(const common::v1::Date& date) {
  if (date.year() == 0 && date.month() == 0 && date.day() == 0) return "";
  return absl::StrFormat("%04d-%02d-%02d", date.year(), date.month(), date.day());
}

std::string FormatDay(common::v1::DayOfWeek day) {
  static constexpr const char* kDays[] = {"?", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
  return day >= 1 && day <= 7 ? kDays[day] : "?";
}

std::string FormatDays(const std::vector<common::v1::DayOfWeek>& days) {
  std::vector<common::v1::DayOfWeek> sorted = days;
  std::sort(sorted.begin(), sorted.end());
  sorted.erase(std::unique(sorted.begin(), sorted.end()), sorted.end());
  auto range = [](int first, int last) {
    std::vector<common::v1::DayOfWeek> result;
    for (int day = first; day <= last; ++day) {
      result.push_back(static_cast<common::v1::DayOfWeek>(day));
    }
    return result;
  };
  if (sorted == range(1, 7)) return "daily";
  if (sorted == range(1, 5)) return "weekdays";
  if (sorted == range(6, 7)) return "weekends";
  return absl::StrJoin(sorted, ", ", [](std::string* out, common::v1::DayOfWeek day) {
    out->append(FormatDay(day));
  });
}

std::string FormatTimeOfDay(const common::v1::TimeOfDay& time) {
  return absl::StrFormat("%02d:%02d", time.hours(), time.minutes());
}

std::string FormatTimeRange(const common::v1::LocalTimeRange& range) {
  return absl::StrCat(FormatTimeOfDay(range.start()), "-", FormatTimeOfDay(range.end()));
}

std::string FormatMinutes(int64_t minutes) {
  if (minutes < 60) return absl::StrCat(minutes, "m");
  if (minutes % 60 == 0) return absl::StrCat(minutes / 60, "h");
  return absl::StrCat(minutes / 60, "h", minutes % 60, "m");
}

std::string FormatGeoPoint(const common::v1::GeoPoint& point) {
  return absl::StrCat(point.latitude(), ", ", point.longitude());
}

std::string FormatLocalTime(const google::protobuf::Timestamp& time, absl::TimeZone zone) {
  if (!IsSet(time)) return "";
  return absl::FormatTime("%a %Y-%m-%d %H:%M", StoredTime(time), zone);
}

std::string FormatLocalTimeWithZone(const google::protobuf::Timestamp& time, absl::TimeZone zone) {
  if (!IsSet(time)) return "";
  return absl::FormatTime("%a %Y-%m-%d %H:%M %Z", StoredTime(time), zone);
}

std::string EnumName(const google::protobuf::EnumDescriptor* type, int number) {
  const google::protobuf::EnumValueDescriptor* value = type->FindValueByNumber(number);
  if (value == nullptr) return absl::StrCat("unknown (", number, ")");
  absl::string_view name = value->name();
  if (absl::EndsWith(name, "_UNSPECIFIED")) return "not set";
  absl::ConsumePrefix(&name, ValuePrefix(type->name()));
  return absl::StrReplaceAll(absl::AsciiStrToLower(name), {{"_", "-"}});
}

std::string NameAndId(absl::string_view name, absl::string_view id) {
  if (name.empty() || name == id) return std::string(id);
  return absl::StrCat(name, " (", id, ")");
}

std::string NameOf(const std::map<std::string, std::string>& names, const std::string& id) {
  auto found = names.find(id);
  return found == names.end() ? id : found->second;
}

std::string WithId(const std::map<std::string, std::string>& names, const std::string& id) {
  if (id.empty()) return "";
  return NameAndId(NameOf(names, id) == id ? "" : NameOf(names, id), id);
}

std::string NamesOf(const std::map<std::string, std::string>& names,
                    const google::protobuf::RepeatedPtrField<std::string>& ids) {
  return absl::StrJoin(ids, ", ", [&names](std::string* out, const std::string& id) {
    out->append(NameOf(names, id));
  });
}

std::string YesNo(bool value) { return value ? "yes" : "no"; }

std::string Version(int64_t version, const google::protobuf::Timestamp& update_time,
                    absl::TimeZone zone) {
  std::string updated = FormatLocalTimeWithZone(update_time, zone);
  return absl::StrCat(version, updated.empty() ? "" : ", changed " + updated);
}

std::string Table::Render() const {
  std::vector<size_t> widths(headers_.size());
  auto measure = [&widths](const std::vector<std::string>& cells) {
    for (size_t i = 0; i < cells.size() && i < widths.size(); ++i) {
      widths[i] = std::max(widths[i], Width(cells[i]));
    }
  };
  measure(headers_);
  for (const auto& row : rows_) measure(row);
  std::string out;
  auto line = [&](const std::vector<std::string>& cells) {
    std::string text;
    bool first = true;
    for (size_t i = 0; i < widths.size(); ++i) {
      // A column with nothing in it, header included, takes no room.
      if (widths[i] == 0) continue;
      if (!first) text.append("  ");
      first = false;
      Pad(text, i < cells.size() ? cells[i] : "", widths[i]);
    }
    absl::StrAppend(&out, absl::StripTrailingAsciiWhitespace(text), "\n");
  };
  line(headers_);
  for (const auto& row : rows_) line(row);
  return out;
}

void Details::Add(absl::string_view label, std::string value) {
  if (value.empty()) return;
  lines_.emplace_back(absl::StrCat(label, ":"), std::move(value));
}

std::string Details::Render() const {
  size_t width = 0;
  for (const auto& [label, value] : lines_) width = std::max(width, Width(label));
  std::string out;
  for (const auto& [label, value] : lines_) {
    bool first = true;
    for (absl::string_view part : absl::StrSplit(value, '\n')) {
      std::string text;
      Pad(text, first ? label : "", width);
      absl::StrAppend(&text, " ", part);
      absl::StrAppend(&out, absl::StripTrailingAsciiWhitespace(text), "\n");
      first = false;
    }
  }
  return out;
}

std::string Listing(const Table& table, const std::string& next_page_token,
                    const std::string& empty) {
  if (table.empty() && next_page_token.empty()) return empty + "\n";
  std::string out = table.empty() ? "" : table.Render();
  if (!next_page_token.empty()) absl::StrAppend(&out, "more: --page-token ", next_page_token, "\n");
  return out;
}

}  // namespace homecare::carectl
