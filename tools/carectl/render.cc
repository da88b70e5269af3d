#include "tools/carectl/render.h"

#include <initializer_list>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "common/time/time.h"
#include "tools/carectl/format.h"

namespace homecare::carectl {
namespace {

namespace rv1 = roster::v1;
namespace sv1 = scheduling::v1;

std::string Skills(const Repeated<rv1::CarerSkill>& skills) {
  return absl::StrJoin(skills, ", ", [](std::string* out, const rv1::CarerSkill& skill) {
    absl::StrAppend(out, skill.skill());
    if (skill.has_expires_on()) absl::StrAppend(out, " (to ", FormatDate(skill.expires_on()), ")");
  });
}

std::string Employer(const rv1::Carer& carer, const Directory& directory) {
  return carer.employer_id().empty() ? "lead provider"
                                     : NameOf(directory.employers, carer.employer_id());
}

std::string Tasks(const Repeated<sv1::Task>& tasks) {
  return absl::StrJoin(tasks, ", ", [](std::string* out, const sv1::Task& task) {
    out->append(task.description());
  });
}

std::string Days(const google::protobuf::RepeatedField<int>& days) {
  std::vector<common::v1::DayOfWeek> list;
  for (int day : days) list.push_back(static_cast<common::v1::DayOfWeek>(day));
  return FormatDays(list);
}

// "morning  daily 07:30-08:30  30m  2 carers  skills hoist  tasks Breakfast, Medication".
std::string Pattern(const sv1::VisitPattern& pattern) {
  std::vector<std::string> parts = {pattern.pattern_id(), Days(pattern.days()),
                                    FormatTimeRange(pattern.start_window()),
                                    FormatMinutes(pattern.duration_minutes())};
  if (pattern.carers_required() > 1)
    parts.push_back(absl::StrCat(pattern.carers_required(), " carers"));
  if (!pattern.required_skills().empty()) {
    parts.push_back("skills " + absl::StrJoin(pattern.required_skills(), ", "));
  }
  if (!pattern.tasks().empty()) parts.push_back("tasks " + Tasks(pattern.tasks()));
  if (pattern.time_critical()) parts.push_back("time-critical");
  return absl::StrJoin(parts, "  ");
}

// "1/2 Ann Lee": assigned of required, then who.
std::string Carers(const sv1::Visit& visit, const Directory& directory) {
  std::string count = absl::StrCat(visit.carer_ids_size(), "/", visit.carers_required());
  if (visit.carer_ids().empty()) return count;
  return absl::StrCat(count, " ", NamesOf(directory.carers, visit.carer_ids()));
}

// Before a carer is assigned a visit has only its window; it starts at the earliest then.
const google::protobuf::Timestamp& Start(const sv1::Visit& visit) {
  return visit.has_planned_start() ? visit.planned_start() : visit.window_start();
}

std::string Window(const sv1::Visit& visit, absl::TimeZone zone) {
  auto hour = [zone](const google::protobuf::Timestamp& time) {
    return absl::FormatTime("%H:%M", absl::FromUnixSeconds(time.seconds()), zone);
  };
  return absl::StrCat(hour(visit.window_start()), "-", hour(visit.window_end()));
}

std::string Marks(const sv1::Visit& visit) {
  std::vector<std::string> marks;
  if (visit.urgent()) marks.push_back("urgent");
  if (visit.time_critical()) marks.push_back("time-critical");
  return absl::StrJoin(marks, ", ");
}

// How long before the start a cancellation came: days once it is more than two.
std::string Notice(int minutes) {
  constexpr int kDay = 24 * 60;
  return minutes > 2 * kDay ? absl::StrCat(minutes / kDay, " days") : FormatMinutes(minutes);
}

std::string Cancellation(const sv1::Cancellation& cancellation, absl::TimeZone zone) {
  std::vector<std::string> parts = {EnumName(cancellation.reason())};
  if (!cancellation.requested_by().empty()) {
    parts.push_back("asked by " + cancellation.requested_by());
  }
  if (cancellation.has_request_time()) {
    parts.push_back(absl::StrCat(FormatLocalTimeWithZone(cancellation.request_time(), zone), ", ",
                                 Notice(cancellation.notice_minutes()), " before the start"));
  }
  if (!cancellation.cancelled_by().empty()) {
    parts.push_back("recorded by " + cancellation.cancelled_by());
  }
  if (!cancellation.note().empty()) parts.push_back(cancellation.note());
  return absl::StrJoin(parts, "; ");
}

// "Ann Lee: carer-absent, by roster-change Tue 2030-12-03 07:00 GMT; note".
std::string Removal(const sv1::CarerRemoval& removal, const Directory& directory) {
  std::string out =
      absl::StrCat(NameOf(directory.carers, removal.carer_id()), ": ", EnumName(removal.reason()));
  if (!removal.removed_by().empty()) absl::StrAppend(&out, ", by ", removal.removed_by());
  std::string when = FormatLocalTimeWithZone(removal.remove_time(), directory.zone);
  if (!when.empty()) absl::StrAppend(&out, " ", when);
  if (!removal.note().empty()) absl::StrAppend(&out, "; ", removal.note());
  return out;
}

// " with those filters" when any of `given` is set, for the empty-list sentences.
std::string Filtered(std::initializer_list<bool> given) {
  for (bool set : given) {
    if (set) return " with those filters";
  }
  return "";
}

}  // namespace

void Directory::AddTenant(const rv1::Tenant& tenant) {
  absl::StatusOr<absl::TimeZone> loaded = LoadTimeZone(tenant.time_zone());
  zone = loaded.ok() ? *loaded : absl::UTCTimeZone();
  for (const rv1::Locality& locality : tenant.localities()) {
    localities[locality.locality_id()] = locality.display_name();
  }
  for (const rv1::SubContractor& employer : tenant.sub_contractors()) {
    employers[employer.employer_id()] = employer.display_name();
  }
}

std::string RenderTenant(const rv1::Tenant& tenant) {
  Directory directory;
  directory.AddTenant(tenant);
  auto pairs = [](const auto& items, auto id, auto name) {
    std::vector<std::string> parts;
    for (const auto& item : items) parts.push_back(NameAndId((item.*name)(), (item.*id)()));
    return parts.empty() ? std::string("none") : absl::StrJoin(parts, ", ");
  };
  Details details;
  details.Add("tenant", NameAndId(tenant.display_name(), tenant.tenant_id()));
  details.Add("time zone", tenant.time_zone());
  details.Add("localities", pairs(tenant.localities(), &rv1::Locality::locality_id,
                                  &rv1::Locality::display_name));
  details.Add("sub-contractors", pairs(tenant.sub_contractors(), &rv1::SubContractor::employer_id,
                                       &rv1::SubContractor::display_name));
  details.Add("minimum pay", FormatPence(tenant.minimum_hourly_pay_pence()) + " an hour");
  details.Add("created", FormatLocalTimeWithZone(tenant.create_time(), directory.zone));
  details.Add("version", Version(tenant.version(), tenant.update_time(), directory.zone));
  return details.Render();
}

std::string RenderCarer(const rv1::Carer& carer, const Directory& directory) {
  Details details;
  details.Add("carer", NameAndId(carer.display_name(), carer.carer_id()));
  details.Add("active", YesNo(carer.active()));
  details.Add("gender", EnumName(carer.gender()));
  details.Add("locality", WithId(directory.localities, carer.locality_id()));
  details.Add("employer", carer.employer_id().empty()
                              ? "lead provider"
                              : WithId(directory.employers, carer.employer_id()));
  details.Add("skills", carer.skills().empty() ? "none" : Skills(carer.skills()));
  details.Add("pay", FormatPence(carer.hourly_rate_pence()) + " an hour");
  details.Add("contracted", FormatMinutes(carer.contracted_minutes_per_week()) + " a week");
  details.Add("day at most", carer.max_minutes_per_day() == 0
                                 ? "no limit"
                                 : FormatMinutes(carer.max_minutes_per_day()));
  details.Add("home", carer.has_home() ? FormatGeoPoint(carer.home()) : "");
  details.Add("travels", EnumName(carer.travel_mode()));
  details.Add("version", Version(carer.version(), carer.update_time(), directory.zone));
  return details.Render();
}

std::string RenderCarers(const Repeated<rv1::Carer>& carers, const std::string& next_page_token,
                         const Directory& directory, const std::string& empty) {
  Table table({"NAME", "GENDER", "LOCALITY", "SKILLS", "PAY", "WEEK", "EMPLOYER", "ACTIVE", "ID"});
  for (const rv1::Carer& carer : carers) {
    table.AddRow({carer.display_name(), EnumName(carer.gender()),
                  NameOf(directory.localities, carer.locality_id()), Skills(carer.skills()),
                  FormatPence(carer.hourly_rate_pence()),
                  FormatMinutes(carer.contracted_minutes_per_week()), Employer(carer, directory),
                  YesNo(carer.active()), carer.carer_id()});
  }
  return Listing(table, next_page_token, empty);
}

std::string EmptyCarersMessage(const rv1::ListCarersRequest& request) {
  return absl::StrCat("no carers",
                      Filtered({!request.locality_id().empty(), !request.skill().empty(),
                                !request.employer_id().empty(), request.has_active()}),
                      request.page_token().empty() ? "" : " on that page");
}

std::string EmptyEligibleMessage(const rv1::ListEligibleCarersRequest& request) {
  std::vector<std::string> with;
  if (!request.required_skills().empty()) {
    with.push_back("with " + absl::StrJoin(request.required_skills(), " and "));
  }
  if (!request.locality_id().empty()) with.push_back("in " + request.locality_id());
  if (request.gender() != common::v1::GENDER_UNSPECIFIED) {
    with.push_back(absl::StrCat("of gender ", EnumName(request.gender())));
  }
  return absl::StrCat("no carers ", absl::StrJoin(with, " "), with.empty() ? "" : " ",
                      "are free at that time");
}

std::string RenderAvailability(const rv1::Availability& availability, const Directory& directory) {
  // The weekly blocks grouped by day, in week order: "Mon 07:00-10:00, 16:00-20:00".
  std::map<int, std::vector<std::string>> by_day;
  for (const rv1::WeeklyBlock& block : availability.weekly()) {
    by_day[block.day()].push_back(FormatTimeRange(block.time()));
  }
  std::vector<std::string> weekly;
  for (const auto& [day, ranges] : by_day) {
    weekly.push_back(absl::StrCat(FormatDay(static_cast<common::v1::DayOfWeek>(day)), " ",
                                  absl::StrJoin(ranges, ", ")));
  }
  std::vector<std::string> exceptions;
  auto ranges = [](const Repeated<common::v1::LocalTimeRange>& list) {
    return absl::StrJoin(list, ", ", [](std::string* out, const common::v1::LocalTimeRange& range) {
      out->append(FormatTimeRange(range));
    });
  };
  for (const rv1::AvailabilityException& exception : availability.exceptions()) {
    std::vector<std::string> parts;
    if (exception.unavailable_all_day()) parts.push_back("off all day");
    if (!exception.add().empty()) parts.push_back("also " + ranges(exception.add()));
    if (!exception.remove().empty()) parts.push_back("not " + ranges(exception.remove()));
    exceptions.push_back(
        absl::StrCat(FormatDate(exception.date()), " ", absl::StrJoin(parts, "; ")));
  }
  Details details;
  details.Add("carer", WithId(directory.carers, availability.carer_id()));
  details.Add("weekly", weekly.empty() ? "none" : absl::StrJoin(weekly, "\n"));
  details.Add("exceptions", exceptions.empty() ? "none" : absl::StrJoin(exceptions, "\n"));
  details.Add("version",
              Version(availability.version(), availability.update_time(), directory.zone));
  return details.Render();
}

std::string RenderAbsence(const rv1::Absence& absence, const Directory& directory) {
  Details details;
  details.Add("absence", absence.absence_id());
  details.Add("carer", WithId(directory.carers, absence.carer_id()));
  details.Add("kind", EnumName(absence.kind()));
  details.Add("state", EnumName(absence.state()));
  details.Add("from", FormatLocalTimeWithZone(absence.start_time(), directory.zone));
  details.Add("to", absence.has_end_time()
                        ? FormatLocalTimeWithZone(absence.end_time(), directory.zone)
                        : "not known yet");
  details.Add("note", absence.note());
  return details.Render();
}

std::string RenderAbsences(const rv1::ListAbsencesResponse& response, const Directory& directory,
                           const std::string& empty) {
  Table table({"CARER", "KIND", "FROM", "TO", "STATE", "NOTE", "ID"});
  for (const rv1::Absence& absence : response.absences()) {
    table.AddRow(
        {NameOf(directory.carers, absence.carer_id()), EnumName(absence.kind()),
         FormatLocalTime(absence.start_time(), directory.zone),
         absence.has_end_time() ? FormatLocalTime(absence.end_time(), directory.zone) : "open",
         EnumName(absence.state()), absence.note(), absence.absence_id()});
  }
  return Listing(table, response.next_page_token(), empty);
}

std::string EmptyAbsencesMessage(const rv1::ListAbsencesRequest& request) {
  if (request.has_start_time() || request.has_end_time()) {
    return request.carer_id().empty() ? "no absences in that period"
                                      : "that carer has no absences in that period";
  }
  return request.carer_id().empty() ? "no absences recorded" : "that carer has no absences";
}

std::string RenderClient(const sv1::Client& client, const Directory& directory) {
  std::vector<std::string> contacts;
  for (const sv1::Contact& contact : client.contacts()) {
    std::vector<std::string> parts = {contact.name()};
    if (!contact.relationship().empty()) parts.push_back(contact.relationship());
    if (!contact.phone().empty()) parts.push_back(contact.phone());
    if (contact.is_unpaid_carer()) parts.push_back("unpaid carer");
    contacts.push_back(absl::StrJoin(parts, ", "));
  }
  std::vector<std::string> suspensions;
  for (const sv1::Suspension& suspension : client.suspensions()) {
    std::string end = FormatDate(suspension.end_date());
    suspensions.push_back(absl::StrCat(EnumName(suspension.reason()), " ",
                                       FormatDate(suspension.start_date()), " to ",
                                       end.empty() ? "further notice" : end,
                                       suspension.note().empty() ? "" : ": " + suspension.note()));
  }
  std::string gender;
  if (client.preferred_carer_gender() != common::v1::GENDER_UNSPECIFIED) {
    gender = absl::StrCat(EnumName(client.preferred_carer_gender()),
                          client.carer_gender_required() ? " only" : " preferred");
  }
  Details details;
  details.Add("client", NameAndId(client.display_name(), client.client_id()));
  details.Add("status", EnumName(client.status()));
  details.Add("locality", WithId(directory.localities, client.locality_id()));
  details.Add("address", client.address_line());
  details.Add("location", client.has_location() ? FormatGeoPoint(client.location()) : "");
  details.Add("access", client.access_notes());
  details.Add("carer gender", gender);
  details.Add("preferred carers", NamesOf(directory.carers, client.preferred_carer_ids()));
  details.Add("excluded carers", NamesOf(directory.carers, client.excluded_carer_ids()));
  details.Add("contacts", absl::StrJoin(contacts, "\n"));
  details.Add("suspensions", absl::StrJoin(suspensions, "\n"));
  details.Add("version", Version(client.version(), client.update_time(), directory.zone));
  return details.Render();
}

std::string RenderClients(const sv1::ListClientsResponse& response, const Directory& directory,
                          const std::string& empty) {
  Table table({"NAME", "STATUS", "LOCALITY", "ADDRESS", "ID"});
  for (const sv1::Client& client : response.clients()) {
    table.AddRow({client.display_name(), EnumName(client.status()),
                  NameOf(directory.localities, client.locality_id()), client.address_line(),
                  client.client_id()});
  }
  return Listing(table, response.next_page_token(), empty);
}

std::string EmptyClientsMessage(const sv1::ListClientsRequest& request) {
  return absl::StrCat("no clients", Filtered({!request.locality_id().empty(),
                                              request.status() != sv1::CLIENT_STATUS_UNSPECIFIED}));
}

std::string RenderCarePlan(const sv1::CarePlan& plan, const Directory& directory) {
  std::vector<std::string> outcomes, patterns;
  for (const sv1::Outcome& outcome : plan.outcomes()) {
    outcomes.push_back(absl::StrCat(outcome.outcome_id(), " ", outcome.description()));
  }
  for (const sv1::VisitPattern& pattern : plan.patterns()) patterns.push_back(Pattern(pattern));
  Details details;
  details.Add("care plan", absl::StrCat(plan.care_plan_id(), ", version ", plan.version()));
  details.Add("client", WithId(directory.clients, plan.client_id()));
  details.Add("in force from", FormatDate(plan.effective_date()));
  details.Add("review", FormatDate(plan.review_date()));
  details.Add("weekly budget", FormatMinutes(plan.weekly_budget_minutes()));
  details.Add("outcomes", absl::StrJoin(outcomes, "\n"));
  details.Add("visits", patterns.empty() ? "none" : absl::StrJoin(patterns, "\n"));
  return details.Render();
}

std::string RenderCarePlans(const sv1::ListCarePlansResponse& response, const Directory& directory,
                            const std::string& empty) {
  Table table({"CLIENT", "FROM", "REVIEW", "BUDGET", "VISITS", "PLAN", "VERSION"});
  for (const sv1::CarePlan& plan : response.care_plans()) {
    table.AddRow({NameOf(directory.clients, plan.client_id()), FormatDate(plan.effective_date()),
                  FormatDate(plan.review_date()), FormatMinutes(plan.weekly_budget_minutes()),
                  absl::StrJoin(plan.patterns(), ", ",
                                [](std::string* out, const sv1::VisitPattern& pattern) {
                                  out->append(pattern.pattern_id());
                                }),
                  plan.care_plan_id(), absl::StrCat(plan.version())});
  }
  return Listing(table, response.next_page_token(), empty);
}

std::string EmptyCarePlansMessage(const sv1::ListCarePlansRequest& request) {
  if (request.review_overdue_only()) {
    return request.client_id().empty() ? "no care plans are overdue for review"
                                       : "that client's care plans are not overdue for review";
  }
  return request.client_id().empty() ? "no care plans yet" : "that client has no care plans";
}

std::string RenderGenerated(const sv1::GenerateVisitsResponse& response) {
  // Every count, noughts included: "0 created" is an answer too.
  Details details;
  details.Add("visits created", absl::StrCat(response.visits_created()));
  details.Add("already there", absl::StrCat(response.visits_already_present()));
  details.Add("re-planned", absl::StrCat(response.visits_updated()));
  details.Add("withdrawn", absl::StrCat(response.visits_withdrawn()));
  details.Add("client-days skipped (suspended)", absl::StrCat(response.days_skipped_suspended()));
  return details.Render();
}

std::string RenderVisit(const sv1::Visit& visit, const Directory& directory) {
  Details details;
  details.Add("visit", visit.visit_id());
  details.Add("client", WithId(directory.clients, visit.client_id()));
  details.Add("starts", absl::StrCat(FormatLocalTimeWithZone(Start(visit), directory.zone),
                                     " (window ", Window(visit, directory.zone), ")"));
  details.Add("length", FormatMinutes(visit.duration_minutes()));
  details.Add("status", EnumName(visit.status()));
  details.Add("carers", Carers(visit, directory));
  details.Add("skills", absl::StrJoin(visit.required_skills(), ", "));
  details.Add("tasks", Tasks(visit.tasks()));
  details.Add("marked", Marks(visit));
  details.Add("locality", WithId(directory.localities, visit.locality_id()));
  if (!visit.care_plan_id().empty()) {
    details.Add("care plan", absl::StrCat(visit.care_plan_id(), " version ",
                                          visit.care_plan_version(), ", ", visit.pattern_id()));
  }
  if (visit.has_cancellation()) {
    details.Add("cancelled", Cancellation(visit.cancellation(), directory.zone));
  }
  if (visit.has_carer_removal()) {
    details.Add("carer off", Removal(visit.carer_removal(), directory));
  }
  details.Add("version", Version(visit.version(), visit.update_time(), directory.zone));
  return details.Render();
}

std::string RenderVisits(const sv1::ListVisitsResponse& response, const Directory& directory,
                         const std::string& empty) {
  // Urgent visits (hospital discharges) stand out at the start of their line.
  Table table({"", "START", "WINDOW", "LENGTH", "STATUS", "CLIENT", "CARERS", "VISIT", ""});
  for (const sv1::Visit& visit : response.visits()) {
    table.AddRow({visit.urgent() ? "URGENT" : "", FormatLocalTime(Start(visit), directory.zone),
                  Window(visit, directory.zone), FormatMinutes(visit.duration_minutes()),
                  EnumName(visit.status()), NameOf(directory.clients, visit.client_id()),
                  Carers(visit, directory), visit.visit_id(),
                  visit.time_critical() ? "time-critical" : ""});
  }
  return Listing(table, response.next_page_token(), empty);
}

std::string EmptyVisitsMessage(const sv1::ListVisitsRequest& request, bool whole_day) {
  std::string when = whole_day                                              ? " on that day"
                     : (request.has_start_time() || request.has_end_time()) ? " in that period"
                                                                            : "";
  return absl::StrCat(
      "no visits", when,
      Filtered({!request.client_id().empty(), !request.locality_id().empty(),
                !request.carer_id().empty(), request.status() != sv1::VISIT_STATUS_UNSPECIFIED,
                request.urgent_only()}));
}

std::string RenderAssignment(const sv1::AssignCarersResponse& response,
                             const Directory& directory) {
  std::string out = RenderVisit(response.visit(), directory);
  for (const sv1::AssignmentWarning& warning : response.warnings()) {
    absl::StrAppend(&out, "warning: ", NameOf(directory.carers, warning.carer_id()), ": ",
                    warning.rule(), ": ", warning.description(), "\n");
  }
  return out;
}

std::string RenderRota(const sv1::Rota& rota, const Directory& directory, bool table) {
  const std::string carer =
      rota.carer_display_name().empty() ? rota.carer_id() : rota.carer_display_name();
  if (rota.entries().empty()) return absl::StrCat("no visits for ", carer, " in that period\n");
  auto date_of = [](const sv1::RotaEntry& entry) { return FormatDate(entry.visit().local_date()); };
  auto with = [](const sv1::RotaEntry& entry) {
    return absl::StrJoin(
        entry.other_carers(), ", ", [](std::string* out, const sv1::RotaCarer& other) {
          out->append(other.display_name().empty() ? other.carer_id() : other.display_name());
        });
  };
  auto travel = [](const sv1::RotaEntry& entry) {
    return absl::StrCat(FormatMinutes(entry.travel_minutes_before()),
                        entry.travel_from_home() ? " from home" : "");
  };
  std::map<std::string, const sv1::RotaDay*> days;
  for (const sv1::RotaDay& day : rota.days()) days[FormatDate(day.date())] = &day;
  auto day_line = [&](const std::string& date) {
    auto found = days.find(date);
    if (found == days.end()) return std::string();
    const sv1::RotaDay& day = *found->second;
    return absl::StrCat(date, ": ", day.visits(), " visit(s), ", FormatMinutes(day.visit_minutes()),
                        " visiting, ", FormatMinutes(day.travel_minutes()),
                        " travelling between them, ", FormatMinutes(day.home_travel_minutes()),
                        " to and from home\n");
  };
  std::string out = absl::StrCat("rota of ", NameAndId(carer, rota.carer_id()), "\n");
  if (table) {
    Table lines({"START", "LENGTH", "TRAVEL BEFORE", "CLIENT", "ADDRESS", "WITH", "VISIT"});
    for (const sv1::RotaEntry& entry : rota.entries()) {
      lines.AddRow({FormatLocalTime(Start(entry.visit()), directory.zone),
                    FormatMinutes(entry.visit().duration_minutes()), travel(entry),
                    entry.client_display_name(), entry.address_line(), with(entry),
                    entry.visit().visit_id()});
    }
    absl::StrAppend(&out, lines.Render());
    for (const sv1::RotaDay& day : rota.days())
      absl::StrAppend(&out, day_line(FormatDate(day.date())));
  } else {
    std::string current;
    for (const sv1::RotaEntry& entry : rota.entries()) {
      if (date_of(entry) != current) {
        current = date_of(entry);
        absl::StrAppend(&out, day_line(current));
      }
      Details details;
      details.Add("at", absl::StrCat(FormatLocalTime(Start(entry.visit()), directory.zone), " for ",
                                     FormatMinutes(entry.visit().duration_minutes()), " (window ",
                                     Window(entry.visit(), directory.zone), ")"));
      details.Add("client", entry.client_display_name());
      details.Add("address", entry.address_line());
      details.Add("access", entry.access_notes());
      details.Add("tasks", Tasks(entry.visit().tasks()));
      details.Add("with", with(entry));
      details.Add("marked", Marks(entry.visit()));
      details.Add("travel", absl::StrCat(travel(entry), ", about ",
                                         (entry.travel_meters_before() + 50) / 100 / 10.0, " km"));
      details.Add("visit", entry.visit().visit_id());
      absl::StrAppend(&out, details.Render(), "\n");
    }
  }
  absl::StrAppend(&out, "in all: ", FormatMinutes(rota.visit_minutes()), " visiting, ",
                  FormatMinutes(rota.travel_minutes()), " travelling between visits, ",
                  FormatMinutes(rota.home_travel_minutes()), " to and from home\n");
  return out;
}

std::string RenderVisitChange(const sv1::VisitChange& change, const Directory& directory) {
  const sv1::Visit& visit = change.visit();
  std::vector<std::string> parts = {FormatLocalTime(change.change_time(), directory.zone),
                                    EnumName(change.kind()),
                                    FormatLocalTime(Start(visit), directory.zone)};
  if (!visit.client_id().empty()) parts.push_back(NameOf(directory.clients, visit.client_id()));
  parts.push_back(EnumName(visit.status()));
  if (visit.carers_required() > 0) parts.push_back(Carers(visit, directory));
  if (change.kind() == sv1::VisitChange::KIND_UNASSIGNED && visit.has_carer_removal()) {
    parts.push_back("(" + Removal(visit.carer_removal(), directory) + ")");
  }
  parts.push_back(visit.visit_id());
  return absl::StrJoin(parts, "  ") + "\n";
}

std::string RenderAutoScheduleUpdate(const sv1::AutoScheduleUpdate& update,
                                     const Directory& directory) {
  if (update.has_progress()) {
    const sv1::AutoScheduleProgress& progress = update.progress();
    if (progress.phase() == sv1::AUTO_SCHEDULE_PHASE_LOADING) {
      return absl::StrFormat("%6.1fs  loading the day\n", progress.elapsed_seconds());
    }
    if (progress.phase() == sv1::AUTO_SCHEDULE_PHASE_APPLYING) {
      return absl::StrFormat("%6.1fs  applying the plan: %d of %d visits written\n",
                             progress.elapsed_seconds(), progress.visits_applied(),
                             progress.visits_to_apply());
    }
    if (progress.best_objective() == 0 && progress.iterations() == 0) {
      return absl::StrFormat("%6.1fs  building the first plan\n", progress.elapsed_seconds());
    }
    return absl::StrFormat("%6.1fs  %d iterations  best %.1f  %d unassigned\n",
                           progress.elapsed_seconds(), progress.iterations(),
                           progress.best_objective(), progress.unassigned_visits());
  }
  const sv1::SchedulePlan& plan = update.plan();
  std::string text;
  for (const sv1::PlannedAssignment& assignment : plan.assignments()) {
    std::vector<std::string> carers;
    for (const std::string& carer : assignment.carer_ids()) {
      carers.push_back(NameOf(directory.carers, carer));
    }
    absl::StrAppend(&text, FormatLocalTime(assignment.planned_start(), directory.zone), "  ",
                    absl::StrJoin(carers, ", "), "  ", assignment.visit_id(), "\n");
  }
  for (const sv1::UnassignedVisit& unassigned : plan.unassigned()) {
    absl::StrAppend(&text, "not assigned: ", unassigned.visit_id(), " (", unassigned.reason(),
                    ")\n");
  }
  absl::StrAppend(&text, plan.assignments_size(), " visit(s) assigned, ", plan.unassigned_size(),
                  " not; ", plan.travel_minutes(), " min of travel, ", plan.lateness_minutes(),
                  " min late\n");
  const sv1::PlanContinuity& continuity = plan.continuity();
  if (continuity.clients() > 0) {
    absl::StrAppend(
        &text, "continuity: ", absl::StrFormat("%.2f", continuity.distinct_carers_per_client()),
        " carers per client this day; of ", continuity.carer_visits(), " carer-visits ",
        continuity.carer_visits_new_to_client(), " by a carer new to the client, ",
        continuity.carer_visits_off_rota(), " not by the call's usual carer\n");
  }
  return text;
}

std::string RenderSchedulingSettings(const sv1::SchedulingSettings& settings,
                                     const Directory& directory) {
  const sv1::TravelSettings& travel = settings.travel();
  auto kmh = [](double speed) { return absl::StrCat(speed, " km/h"); };
  Details details;
  details.Add("road distance", absl::StrCat(travel.road_distance_factor(), " x the straight line"));
  details.Add("driving", kmh(travel.driving_speed_kmh()));
  details.Add("walking", kmh(travel.walking_speed_kmh()));
  details.Add("cycling", kmh(travel.cycling_speed_kmh()));
  details.Add("public transport", kmh(travel.public_transport_speed_kmh()));
  details.Add("preferences", settings.refuse_on_preferences()
                                 ? "refuse an assignment unless overridden"
                                 : "warn only");
  const sv1::AutoScheduleWeights& weights = settings.auto_schedule();
  details.Add(
      "scheduler weighs",
      absl::StrCat("a carer new to the client ", weights.continuity_minutes(),
                   " min, not a preferred carer ", weights.preferred_carer_minutes(),
                   " min, not the preferred gender ", weights.preferred_gender_minutes(),
                   " min, each carer a client sees in a day ", weights.carer_in_day_minutes(),
                   " min, not the call's usual carer ", weights.usual_carer_minutes(),
                   " min (of travel); a carer new to a client who met ",
                   weights.fortnight_carers_threshold(),
                   " or more in the last fortnight counts ten times"));
  details.Add("version", Version(settings.version(), settings.update_time(), directory.zone));
  return details.Render();
}

}  // namespace homecare::carectl
