// How carectl writes values for people: money in pounds, dates and local times in the tenant's
// zone, enums as the lower-case words its flags take, and the two layouts every command uses (a
// table for lists, "label: value" lines for one object). No gRPC here, so all of it is tested.
#ifndef HOMECARE_TOOLS_CARECTL_FORMAT_H_
#define HOMECARE_TOOLS_CARECTL_FORMAT_H_

#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/generated_enum_reflection.h"
#include "google/protobuf/repeated_ptr_field.h"
#include "google/protobuf/timestamp.pb.h"
#include "homecare/common/v1/types.pb.h"

namespace homecare::carectl {

// False for an unset timestamp (the epoch).
bool IsSet(const google::protobuf::Timestamp& time);

// "£12.60" from 1260; "-£3.05".
std::string FormatPence(int64_t pence);
// "2026-12-04"; empty for an unset date.
std::string FormatDate(const common::v1::Date& date);
// "Mon" to "Sun".
std::string FormatDay(common::v1::DayOfWeek day);
// "daily", "weekdays", "weekends" (the words `--patterns` takes), or "Mon, Wed, Fri".
std::string FormatDays(const std::vector<common::v1::DayOfWeek>& days);
// "07:30".
std::string FormatTimeOfDay(const common::v1::TimeOfDay& time);
// "07:00-10:00".
std::string FormatTimeRange(const common::v1::LocalTimeRange& range);
// A length: "45m", "1h15m", "2h".
std::string FormatMinutes(int64_t minutes);
// "51.5, -0.12".
std::string FormatGeoPoint(const common::v1::GeoPoint& point);

// An instant in `zone`: "Tue 2026-12-01 07:30" (tables); empty when unset.
std::string FormatLocalTime(const google::protobuf::Timestamp& time, absl::TimeZone zone);
// With the zone's abbreviation, for one object's details: "Tue 2026-12-01 07:30 GMT".
std::string FormatLocalTimeWithZone(const google::protobuf::Timestamp& time, absl::TimeZone zone);

// The value's name without its enum's prefix, lower case with dashes, as carectl's flags take
// it: VISIT_STATUS_NEEDS_CARER is "needs-carer"; an *_UNSPECIFIED value is "not set".
std::string EnumName(const google::protobuf::EnumDescriptor* type, int number);
template <typename Enum>
std::string EnumName(Enum value) {
  return EnumName(google::protobuf::GetEnumDescriptor<Enum>(), static_cast<int>(value));
}

// Every named value of Enum (not *_UNSPECIFIED) by its EnumName, for parsing a flag with
// Lookup (parsing_common.h): the words carectl prints are the words it takes.
template <typename Enum>
std::map<std::string, Enum> EnumWords() {
  const google::protobuf::EnumDescriptor* type = google::protobuf::GetEnumDescriptor<Enum>();
  std::map<std::string, Enum> words;
  for (int i = 0; i < type->value_count(); ++i) {
    const int number = type->value(i)->number();
    if (number != 0) words[EnumName(type, number)] = static_cast<Enum>(number);
  }
  return words;
}

// "Ann Lee (car_12)"; just the id when the name is unknown.
std::string NameAndId(absl::string_view name, absl::string_view id);
// The name of `id` in `names`; the id itself when unknown.
std::string NameOf(const std::map<std::string, std::string>& names, const std::string& id);
// NameAndId with the name from `names`; empty for an empty id.
std::string WithId(const std::map<std::string, std::string>& names, const std::string& id);
// Each id by its name where known: "Ann Lee, car_9".
std::string NamesOf(const std::map<std::string, std::string>& names,
                    const google::protobuf::RepeatedPtrField<std::string>& ids);
std::string YesNo(bool value);
// "3, changed Tue 2026-12-01 07:30 GMT".
std::string Version(int64_t version, const google::protobuf::Timestamp& update_time,
                    absl::TimeZone zone);

// Columns padded to their widest cell (counting characters, not bytes: names and "£"); a
// column empty in every row and in its header is left out (an "URGENT" mark nobody has).
class Table {
 public:
  explicit Table(std::vector<std::string> headers) : headers_(std::move(headers)) {}
  void AddRow(std::vector<std::string> cells) { rows_.push_back(std::move(cells)); }
  bool empty() const { return rows_.empty(); }
  // The header line, then a line per row; no trailing blanks.
  std::string Render() const;

 private:
  std::vector<std::string> headers_;
  std::vector<std::vector<std::string>> rows_;
};

// "label: value" lines with the values aligned; a value of several lines keeps that alignment,
// and an empty value leaves its line out.
class Details {
 public:
  void Add(absl::string_view label, std::string value);
  std::string Render() const;

 private:
  std::vector<std::pair<std::string, std::string>> lines_;
};

// A list's table, then "more: --page-token ..." for a further page; `empty` when there is
// nothing at all.
std::string Listing(const Table& table, const std::string& next_page_token,
                    const std::string& empty);

}  // namespace homecare::carectl

#endif  // HOMECARE_TOOLS_CARECTL_FORMAT_H_
