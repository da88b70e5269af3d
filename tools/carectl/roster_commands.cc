// carectl's roster commands: the tenant profile, carers, availability, absences and who is
// free for a visit. Times given without a zone are the tenant's local time.
#include <iostream>
#include <tuple>

#include "absl/strings/str_split.h"
#include "common/client/channel.h"
#include "common/ids/ids.h"
#include "common/time/time.h"
#include "homecare/roster/v1/roster.grpc.pb.h"
#include "tools/carectl/cli.h"
#include "tools/carectl/roster_parsing.h"

namespace homecare::carectl {
namespace {

namespace rv1 = roster::v1;
using Stub = rv1::RosterService::Stub;

// Renderings of one carer, availability or absence, with the names they need.
auto CarerView(const ClientFlags& client) {
  return [&client](const rv1::Carer& carer) { return RenderCarer(carer, LoadDirectory(client)); };
}

auto AvailabilityView(const ClientFlags& client) {
  return [&client](const rv1::Availability& availability) {
    return RenderAvailability(availability,
                              LoadDirectory(client, {.carers = {availability.carer_id()}}));
  };
}

auto AbsenceView(const ClientFlags& client) {
  return [&client](const rv1::Absence& absence) {
    return RenderAbsence(absence, LoadDirectory(client, {.carers = {absence.carer_id()}}));
  };
}

// The fields of a Carer that flags set; `mask` gets the path of each flag given.
struct CarerFlags {
  std::string name, gender, locality, home, skills, contracted, max_day, rate, employer, travel,
      active;

  void Register(FlagSet& flags) {
    flags.AddString("name", &name, "Display name");
    flags.AddString("gender", &gender, "female, male, non-binary or undisclosed");
    flags.AddString("locality", &locality, "Locality id");
    flags.AddString("home", &home, "Home as latitude,longitude");
    flags.AddString("skills", &skills, "Comma-separated skills, name or name:YYYY-MM-DD (expiry)");
    flags.AddString("contracted", &contracted, "Contracted minutes a week");
    flags.AddString("max-day", &max_day, "Most minutes a day (0: no limit)");
    flags.AddString("rate", &rate, "Hourly pay in pence");
    flags.AddString("employer", &employer, "Sub-contractor id; \"lead\" for the lead provider");
    flags.AddString("travel", &travel, "drives, walks, public-transport or cycles");
    flags.AddString("active", &active, "true or false (update only)");
  }

  absl::Status Fill(rv1::Carer& carer, google::protobuf::FieldMask& mask) const {
    auto given = [&](const std::string& value, const char* path) {
      if (value.empty()) return false;
      mask.add_paths(path);
      return true;
    };
    if (given(name, "display_name")) carer.set_display_name(name);
    if (given(gender, "gender")) {
      absl::StatusOr<common::v1::Gender> parsed = ParseGender(gender);
      if (!parsed.ok()) return ForFlag("gender", parsed.status());
      carer.set_gender(*parsed);
    }
    if (given(locality, "locality_id")) carer.set_locality_id(locality);
    if (given(home, "home")) {
      absl::StatusOr<common::v1::GeoPoint> parsed = ParseGeoPoint(home);
      if (!parsed.ok()) return ForFlag("home", parsed.status());
      *carer.mutable_home() = *parsed;
    }
    if (given(skills, "skills")) {
      absl::StatusOr<std::vector<rv1::CarerSkill>> parsed = ParseSkills(skills);
      if (!parsed.ok()) return ForFlag("skills", parsed.status());
      for (rv1::CarerSkill& skill : *parsed) *carer.add_skills() = std::move(skill);
    }
    int64_t number = 0;
    if (given(contracted, "contracted_minutes_per_week")) {
      if (absl::Status ok = ParseInt("contracted", contracted, number); !ok.ok()) return ok;
      carer.set_contracted_minutes_per_week(static_cast<int32_t>(number));
    }
    if (given(max_day, "max_minutes_per_day")) {
      if (absl::Status ok = ParseInt("max-day", max_day, number); !ok.ok()) return ok;
      carer.set_max_minutes_per_day(static_cast<int32_t>(number));
    }
    if (given(rate, "hourly_rate_pence")) {
      if (absl::Status ok = ParseInt("rate", rate, number); !ok.ok()) return ok;
      carer.set_hourly_rate_pence(number);
    }
    if (given(employer, "employer_id")) carer.set_employer_id(employer == "lead" ? "" : employer);
    if (given(travel, "travel_mode")) {
      absl::StatusOr<rv1::TravelMode> parsed = ParseTravelMode(travel);
      if (!parsed.ok()) return ForFlag("travel", parsed.status());
      carer.set_travel_mode(*parsed);
    }
    if (given(active, "active")) {
      bool value = false;
      if (absl::Status ok = ParseTrueFalse("active", active, value); !ok.ok()) return ok;
      carer.set_active(value);
    }
    return absl::OkStatus();
  }
};

int RunTenantUpdate(const std::vector<std::string>& args) {
  ClientFlags client;
  std::string id, name, time_zone, localities, sub_contractors, minimum_pay;
  int64_t expected_version = 0;
  FlagSet flags("carectl tenant update");
  client.Register(flags);
  flags.AddString("id", &id, "Tenant id (operators); others change their own");
  flags.AddString("name", &name, "Display name");
  flags.AddString("time-zone", &time_zone, "IANA time zone");
  flags.AddString("localities", &localities, "All localities, comma-separated id=Name pairs");
  flags.AddString("sub-contractors", &sub_contractors,
                  "All sub-contractors, comma-separated id=Name pairs");
  flags.AddString("minimum-hourly-pay-pence", &minimum_pay, "Least hourly pay, in pence");
  flags.AddInt("expected-version", &expected_version, "Apply only to this version");
  if (int code = ParseOrExit(flags, args); code >= 0) return code;
  rv1::UpdateTenantRequest request;
  rv1::Tenant& tenant = *request.mutable_tenant();
  tenant.set_tenant_id(id);
  request.set_expected_version(expected_version);
  auto& mask = *request.mutable_update_mask();
  if (!name.empty()) {
    tenant.set_display_name(name);
    mask.add_paths("display_name");
  }
  if (!time_zone.empty()) {
    tenant.set_time_zone(time_zone);
    mask.add_paths("time_zone");
  }
  auto pairs = [](const std::string& text) {
    std::vector<std::pair<std::string, std::string>> result;
    for (absl::string_view pair : absl::StrSplit(text, ',', absl::SkipEmpty())) {
      std::pair<std::string, std::string> parts = absl::StrSplit(pair, absl::MaxSplits('=', 1));
      if (parts.second.empty()) parts.second = parts.first;
      result.push_back(parts);
    }
    return result;
  };
  if (!localities.empty()) {
    for (const auto& [locality_id, display] : pairs(localities)) {
      rv1::Locality& locality = *tenant.add_localities();
      locality.set_locality_id(locality_id);
      locality.set_display_name(display);
    }
    mask.add_paths("localities");
  }
  if (!sub_contractors.empty()) {
    for (const auto& [employer_id, display] : pairs(sub_contractors)) {
      rv1::SubContractor& employer = *tenant.add_sub_contractors();
      employer.set_employer_id(employer_id);
      employer.set_display_name(display);
    }
    mask.add_paths("sub_contractors");
  }
  if (!minimum_pay.empty()) {
    int64_t pence = 0;
    if (absl::Status ok = ParseInt("minimum-hourly-pay-pence", minimum_pay, pence); !ok.ok()) {
      return PrintError(ok);
    }
    tenant.set_minimum_hourly_pay_pence(pence);
    mask.add_paths("minimum_hourly_pay_pence");
  }
  return CallAndShow(client, client.roster, &Stub::UpdateTenant, request, RenderTenant);
}

int RunCarerCreate(const std::vector<std::string>& args) {
  ClientFlags client;
  CarerFlags carer_flags;
  carer_flags.travel = "drives";
  std::string request_id = RandomUuid();
  FlagSet flags("carectl carer create");
  client.Register(flags);
  carer_flags.Register(flags);
  flags.AddString("request-id", &request_id, "Idempotency key; repeat it to retry safely");
  if (int code = ParseOrExit(flags, args); code >= 0) return code;
  rv1::CreateCarerRequest request;
  request.set_request_id(request_id);
  google::protobuf::FieldMask unused;
  if (absl::Status ok = carer_flags.Fill(*request.mutable_carer(), unused); !ok.ok()) {
    return PrintError(ok);
  }
  return CallAndShow(client, client.roster, &Stub::CreateCarer, request, CarerView(client));
}

int RunCarerGet(const std::vector<std::string>& args) {
  ClientFlags client;
  rv1::GetCarerRequest request;
  FlagSet flags("carectl carer get");
  client.Register(flags);
  flags.AddString("id", request.mutable_carer_id(), "Carer id");
  if (int code = ParseOrExit(flags, args); code >= 0) return code;
  return CallAndShow(client, client.roster, &Stub::GetCarer, request, CarerView(client));
}

int RunCarerUpdate(const std::vector<std::string>& args) {
  ClientFlags client;
  CarerFlags carer_flags;
  std::string id;
  int64_t expected_version = 0;
  FlagSet flags("carectl carer update");
  client.Register(flags);
  flags.AddString("id", &id, "Carer id");
  carer_flags.Register(flags);
  flags.AddInt("expected-version", &expected_version, "Apply only to this version");
  if (int code = ParseOrExit(flags, args); code >= 0) return code;
  rv1::UpdateCarerRequest request;
  request.mutable_carer()->set_carer_id(id);
  request.set_expected_version(expected_version);
  if (absl::Status ok = carer_flags.Fill(*request.mutable_carer(), *request.mutable_update_mask());
      !ok.ok()) {
    return PrintError(ok);
  }
  return CallAndShow(client, client.roster, &Stub::UpdateCarer, request, CarerView(client));
}

int RunCarerList(const std::vector<std::string>& args) {
  ClientFlags client;
  rv1::ListCarersRequest request;
  std::string active;
  int64_t page_size = 0;
  FlagSet flags("carectl carer list");
  client.Register(flags);
  flags.AddString("locality", request.mutable_locality_id(), "Only this locality");
  flags.AddString("skill", request.mutable_skill(), "Only carers holding this skill today");
  flags.AddString("employer", request.mutable_employer_id(),
                  "Only this sub-contractor's carers; \"lead\" for the lead provider's");
  flags.AddString("active", &active, "true or false; unset lists both");
  flags.AddInt("page-size", &page_size, "At most this many (max 200)");
  flags.AddString("page-token", request.mutable_page_token(), "From a previous page");
  if (int code = ParseOrExit(flags, args); code >= 0) return code;
  if (!active.empty()) {
    bool value = false;
    if (absl::Status ok = ParseTrueFalse("active", active, value); !ok.ok()) return PrintError(ok);
    request.set_active(value);
  }
  request.set_page_size(static_cast<int32_t>(page_size));
  return CallAndShow(client, client.roster, &Stub::ListCarers, request,
                     [&](const rv1::ListCarersResponse& response) {
                       return RenderCarers(response.carers(), response.next_page_token(),
                                           LoadDirectory(client), EmptyCarersMessage(request));
                     });
}

int RunAvailabilitySet(const std::vector<std::string>& args) {
  ClientFlags client;
  std::string carer_id, weekly, off, extra, remove;
  int64_t expected_version = 0;
  FlagSet flags("carectl availability set");
  client.Register(flags);
  flags.AddString("carer", &carer_id, "Carer id");
  flags.AddString("weekly", &weekly, "Weekly pattern: \"mon 07:00-10:00,mon 16:00-20:00,...\"");
  flags.AddString("off", &off, "Days off: YYYY-MM-DD,...");
  flags.AddString("extra", &extra, "Extra blocks: \"YYYY-MM-DD HH:MM-HH:MM,...\"");
  flags.AddString("remove", &remove, "Blocks not worked: \"YYYY-MM-DD HH:MM-HH:MM,...\"");
  flags.AddInt("expected-version", &expected_version, "Apply only to this version");
  if (int code = ParseOrExit(flags, args); code >= 0) return code;
  rv1::SetAvailabilityRequest request;
  request.set_expected_version(expected_version);
  rv1::Availability& availability = *request.mutable_availability();
  availability.set_carer_id(carer_id);
  absl::StatusOr<std::vector<rv1::WeeklyBlock>> blocks = ParseWeekly(weekly);
  if (!blocks.ok()) return PrintError(ForFlag("weekly", blocks.status()));
  for (rv1::WeeklyBlock& block : *blocks) *availability.add_weekly() = std::move(block);
  absl::StatusOr<std::vector<rv1::AvailabilityException>> exceptions =
      ParseExceptions(off, extra, remove);
  if (!exceptions.ok()) {
    // One parse merges the three lists; each alone says which flag holds the mistake.
    const char* flag = !ParseExceptions(off, "", "").ok()     ? "off"
                       : !ParseExceptions("", extra, "").ok() ? "extra"
                                                              : "remove";
    return PrintError(ForFlag(flag, exceptions.status()));
  }
  for (auto& exception : *exceptions) *availability.add_exceptions() = std::move(exception);
  return CallAndShow(client, client.roster, &Stub::SetAvailability, request,
                     AvailabilityView(client));
}

int RunAvailabilityGet(const std::vector<std::string>& args) {
  ClientFlags client;
  rv1::GetAvailabilityRequest request;
  FlagSet flags("carectl availability get");
  client.Register(flags);
  flags.AddString("carer", request.mutable_carer_id(), "Carer id");
  if (int code = ParseOrExit(flags, args); code >= 0) return code;
  return CallAndShow(client, client.roster, &Stub::GetAvailability, request,
                     AvailabilityView(client));
}

int RunAbsenceRecord(const std::vector<std::string>& args) {
  ClientFlags client;
  std::string carer_id, kind = "sickness", from, to, note, request_id = RandomUuid();
  FlagSet flags("carectl absence record");
  client.Register(flags);
  flags.AddString("carer", &carer_id, "Carer id");
  flags.AddString("kind", &kind, "sickness, annual-leave, training or other");
  flags.AddString("from", &from, "Start: YYYY-MM-DDTHH:MM local, or RFC 3339");
  flags.AddString("to", &to, "End; leave out when the return is unknown");
  flags.AddString("note", &note, "Note");
  flags.AddString("request-id", &request_id, "Idempotency key; repeat it to retry safely");
  if (int code = ParseOrExit(flags, args); code >= 0) return code;
  absl::StatusOr<absl::TimeZone> zone = TenantZone(client);
  if (!zone.ok()) return PrintError(zone.status());
  rv1::RecordAbsenceRequest request;
  request.set_request_id(request_id);
  rv1::Absence& absence = *request.mutable_absence();
  absence.set_carer_id(carer_id);
  absence.set_note(note);
  absl::StatusOr<rv1::AbsenceKind> parsed_kind = ParseAbsenceKind(kind);
  if (!parsed_kind.ok()) return PrintError(ForFlag("kind", parsed_kind.status()));
  absence.set_kind(*parsed_kind);
  if (absl::Status ok = ParseTimeFlag("from", from, *zone, *absence.mutable_start_time());
      !ok.ok()) {
    return PrintError(ok);
  }
  if (!to.empty()) {
    if (absl::Status ok = ParseTimeFlag("to", to, *zone, *absence.mutable_end_time()); !ok.ok()) {
      return PrintError(ok);
    }
  }
  return CallAndShow(client, client.roster, &Stub::RecordAbsence, request, AbsenceView(client));
}

int RunAbsenceEnd(const std::vector<std::string>& args) {
  ClientFlags client;
  std::string id, at;
  FlagSet flags("carectl absence end");
  client.Register(flags);
  flags.AddString("id", &id, "Absence id");
  flags.AddString("at", &at, "When it ends (default now): YYYY-MM-DDTHH:MM local, or RFC 3339");
  if (int code = ParseOrExit(flags, args); code >= 0) return code;
  rv1::EndAbsenceRequest request;
  request.set_absence_id(id);
  if (!at.empty()) {
    absl::StatusOr<absl::TimeZone> zone = TenantZone(client);
    if (!zone.ok()) return PrintError(zone.status());
    if (absl::Status ok = ParseTimeFlag("at", at, *zone, *request.mutable_end_time()); !ok.ok()) {
      return PrintError(ok);
    }
  }
  return CallAndShow(client, client.roster, &Stub::EndAbsence, request, AbsenceView(client));
}

int RunAbsenceCancel(const std::vector<std::string>& args) {
  ClientFlags client;
  rv1::CancelAbsenceRequest request;
  FlagSet flags("carectl absence cancel");
  client.Register(flags);
  flags.AddString("id", request.mutable_absence_id(), "Absence id");
  flags.AddString("reason", request.mutable_reason(), "Why it is cancelled");
  if (int code = ParseOrExit(flags, args); code >= 0) return code;
  return CallAndShow(client, client.roster, &Stub::CancelAbsence, request, AbsenceView(client));
}

int RunAbsenceList(const std::vector<std::string>& args) {
  ClientFlags client;
  rv1::ListAbsencesRequest request;
  std::string from, to;
  int64_t page_size = 0;
  FlagSet flags("carectl absence list");
  client.Register(flags);
  flags.AddString("carer", request.mutable_carer_id(), "Only this carer's");
  flags.AddString("from", &from, "Overlapping from: YYYY-MM-DDTHH:MM local, or RFC 3339");
  flags.AddString("to", &to, "Overlapping until");
  flags.AddInt("page-size", &page_size, "At most this many (max 200)");
  flags.AddString("page-token", request.mutable_page_token(), "From a previous page");
  if (int code = ParseOrExit(flags, args); code >= 0) return code;
  request.set_page_size(static_cast<int32_t>(page_size));
  if (!from.empty() || !to.empty()) {
    absl::StatusOr<absl::TimeZone> zone = TenantZone(client);
    if (!zone.ok()) return PrintError(zone.status());
    // mutable_*() marks a field as set, so only for a bound that was given: an unset end is
    // open, not 1970.
    for (auto [flag, text, field] :
         {std::tuple{"from", &from, &rv1::ListAbsencesRequest::mutable_start_time},
          std::tuple{"to", &to, &rv1::ListAbsencesRequest::mutable_end_time}}) {
      if (text->empty()) continue;
      if (absl::Status ok = ParseTimeFlag(flag, *text, *zone, *(request.*field)()); !ok.ok()) {
        return PrintError(ok);
      }
    }
  }
  return CallAndShow(client, client.roster, &Stub::ListAbsences, request,
                     [&](const rv1::ListAbsencesResponse& response) {
                       Wanted wanted;
                       for (const rv1::Absence& absence : response.absences()) {
                         wanted.carers.insert(absence.carer_id());
                       }
                       return RenderAbsences(response, LoadDirectory(client, wanted),
                                             EmptyAbsencesMessage(request));
                     });
}

int RunCarerEligible(const std::vector<std::string>& args) {
  ClientFlags client;
  rv1::ListEligibleCarersRequest request;
  std::string from, skills, gender;
  absl::Duration duration = absl::Minutes(30);
  int64_t page_size = 0;
  FlagSet flags("carectl carer eligible");
  client.Register(flags);
  flags.AddString("at", &from, "Visit start: YYYY-MM-DDTHH:MM local, or RFC 3339");
  flags.AddDuration("for", &duration, "Visit length (30m, 1h...)");
  flags.AddString("locality", request.mutable_locality_id(), "Only this locality");
  flags.AddString("skills", &skills, "Comma-separated skills the visit needs");
  flags.AddString("gender", &gender, "Only carers of this gender");
  flags.AddInt("page-size", &page_size, "At most this many (max 200)");
  flags.AddString("page-token", request.mutable_page_token(), "From a previous page");
  if (int code = ParseOrExit(flags, args); code >= 0) return code;
  absl::StatusOr<absl::TimeZone> zone = TenantZone(client);
  if (!zone.ok()) return PrintError(zone.status());
  absl::StatusOr<absl::Time> start = ParseInstant(from, *zone);
  if (!start.ok()) return PrintError(ForFlag("at", start.status()));
  *request.mutable_window_start() = TimeToProto(*start);
  *request.mutable_window_end() = TimeToProto(*start + duration);
  for (absl::string_view skill : absl::StrSplit(skills, ',', absl::SkipWhitespace())) {
    request.add_required_skills(std::string(skill));
  }
  if (!gender.empty()) {
    absl::StatusOr<common::v1::Gender> parsed = ParseGender(gender);
    if (!parsed.ok()) return PrintError(ForFlag("gender", parsed.status()));
    request.set_gender(*parsed);
  }
  request.set_page_size(static_cast<int32_t>(page_size));
  return CallAndShow(client, client.roster, &Stub::ListEligibleCarers, request,
                     [&](const rv1::ListEligibleCarersResponse& response) {
                       return RenderCarers(response.carers(), response.next_page_token(),
                                           LoadDirectory(client), EmptyEligibleMessage(request));
                     });
}

}  // namespace

void RegisterRosterCommands() {
  auto& commands = Commands();
  commands.push_back({{"tenant", "update"}, "Change the tenant's profile", RunTenantUpdate});
  commands.push_back({{"carer", "create"}, "Add a carer", RunCarerCreate});
  commands.push_back({{"carer", "get"}, "Show a carer", RunCarerGet});
  commands.push_back({{"carer", "update"}, "Change the fields given of a carer", RunCarerUpdate});
  commands.push_back({{"carer", "list"}, "List carers, filtered", RunCarerList});
  commands.push_back({{"carer", "eligible"},
                      "Who is free for a visit: available, not absent, skilled",
                      RunCarerEligible});
  commands.push_back(
      {{"availability", "set"}, "Set a carer's weekly pattern and exceptions", RunAvailabilitySet});
  commands.push_back({{"availability", "get"}, "Show a carer's availability", RunAvailabilityGet});
  commands.push_back(
      {{"absence", "record"}, "Record sickness, leave or training", RunAbsenceRecord});
  commands.push_back({{"absence", "end"}, "End an absence (back at work)", RunAbsenceEnd});
  commands.push_back(
      {{"absence", "cancel"}, "Cancel an absence recorded by mistake", RunAbsenceCancel});
  commands.push_back({{"absence", "list"}, "List absences", RunAbsenceList});
}

}  // namespace homecare::carectl
