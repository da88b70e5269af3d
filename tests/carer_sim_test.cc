// homecare-carer-sim as a real process against real homecare-roster, homecare-scheduling,
// homecare-checkin and redis-server processes on the test clock: Ann's and Bob's day played with
// an offline morning synced later, the same day played again (every event a duplicate, no record
// changed), a day stopped at the phone's clock, a carer with nothing to do and a check-in service
// that cannot be reached.
#include <sys/wait.h>

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/checkin_fixture.h"
#include "tools/carer_sim/day_plan.h"

namespace homecare {
namespace {

using ::homecare::testing::At;
using ::homecare::testing::GrpcOk;
using ::homecare::testing::Kinds;
using ::homecare::testing::kSunrise;
using ::homecare::testing::Local;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;
using ::testing::SizeIs;
namespace cv1 = checkin::v1;
namespace sv1 = scheduling::v1;

constexpr double kNoise = 15;

class CarerSimTest : public testing::CheckInFixture {
 protected:
  ~CarerSimTest() override {
    if (!dir_.empty()) testing::RemoveTree(dir_);
  }

  // Runs homecare-carer-sim against these services with `args`, the phone's clock the test
  // clock's: its exit code and its output.
  std::pair<int, std::string> RunSim(std::vector<std::string> args,
                                     const std::string& checkin = "") {
    if (dir_.empty()) dir_ = testing::MakeTempDir("carer-sim");
    const std::string log = absl::StrCat(dir_, "/run-", ++runs_, ".log");
    std::vector<std::string> argv = {
        HOMECARE_CARER_SIM_BINARY,
        "--roster",
        roster_->address(),
        "--scheduling",
        scheduling_->address(),
        "--checkin",
        checkin.empty() ? checkin_address_ : checkin,
        "--secret-file",
        secret_.path(),
        "--tenant",
        kSunrise,
        "--now",
        absl::FormatTime(absl::RFC3339_full, clock_.now(), absl::UTCTimeZone())};
    argv.insert(argv.end(), args.begin(), args.end());
    absl::StatusOr<testing::Subprocess> process = testing::Subprocess::Spawn(argv, log);
    EXPECT_TRUE(process.ok()) << process.status();
    if (!process.ok()) return {-1, ""};
    absl::StatusOr<int> status = process->Wait(absl::Seconds(60));
    EXPECT_TRUE(status.ok()) << status.status();
    return {status.ok() && WIFEXITED(*status) ? WEXITSTATUS(*status) : -1,
            testing::ReadFileOrEmpty(log)};
  }

  // Waits until the check-in service has the carers on `visit_id` from the visit stream.
  void AwaitAssigned(const std::string& visit_id, size_t carers) {
    AwaitRecord(visit_id, [&](const cv1::VisitRecord& record) {
      if (record.slots_size() != static_cast<int>(carers)) return false;
      for (const cv1::CarerSlot& slot : record.slots()) {
        if (!slot.assigned()) return false;
      }
      return true;
    });
  }

  // Ann on Edna's Tuesday morning, Ann and Bob on its bedtime double-up, as the check-in
  // service knows them.
  void StaffTuesday() {
    sv1::AssignCarersResponse assigned;
    ASSERT_THAT(Assign(week_.morning[3].visit_id(), {ann_.carer_id()}, &assigned), GrpcOk());
    ASSERT_THAT(Assign(week_.bed[3].visit_id(), {ann_.carer_id(), bob_.carer_id()}, &assigned),
                GrpcOk());
    AwaitAssigned(week_.morning[3].visit_id(), 1);
    AwaitAssigned(week_.bed[3].visit_id(), 2);
  }

  // The lines of `output` that report an event.
  static std::vector<std::string> EventLines(const std::string& output) {
    std::vector<std::string> lines;
    for (absl::string_view line : absl::StrSplit(output, '\n')) {
      if (absl::StrContains(line, " exceptions=")) lines.emplace_back(line);
    }
    return lines;
  }

  std::string dir_;
  int runs_ = 0;
};

TEST_F(CarerSimTest, ADayWithAnOfflineMorningSyncedLaterThenPlayedAgain) {
  const std::string morning = week_.morning[3].visit_id();
  const std::string bed = week_.bed[3].visit_id();
  ASSERT_NO_FATAL_FAILURE(StaffTuesday());

  // The evening after: Ann had no signal all morning; her queue went out when it came back.
  clock_.Set(Local(2030, 12, 3, 23, 30));
  const std::vector<std::string> args = {
      "--carers",    absl::StrCat(ann_.carer_id(), ",", bob_.carer_id()),
      "--date",      "2030-12-03",
      "--seed",      "7",
      "--pace",      "fast",
      "--gps-noise", "15",
      "--offline",   "06:30-09:00"};
  auto [code, output] = RunSim(args);
  ASSERT_EQ(code, 0) << output;
  EXPECT_THAT(output, HasSubstr(absl::StrCat("carer ", ann_.carer_id(),
                                             ": 2 of 2 visits played, 4 events: 4 accepted (0 "
                                             "duplicates), 0 refused; exceptions: none")))
      << output;
  EXPECT_THAT(output, HasSubstr(absl::StrCat("carer ", bob_.carer_id(),
                                             ": 1 of 1 visits played, 2 events: 2 accepted (0 "
                                             "duplicates), 0 refused; exceptions: none")))
      << output;
  std::vector<std::string> lines = EventLines(output);
  ASSERT_THAT(lines, SizeIs(6)) << output;
  int batched = 0;
  for (const std::string& line : lines) {
    if (absl::StrContains(line, " batch ")) {
      ++batched;
      EXPECT_THAT(line, HasSubstr(morning));
    }
  }
  EXPECT_EQ(batched, 2) << output;

  const absl::Time sent = Local(2030, 12, 3, 23, 30);
  cv1::VisitRecord morning_record = Record(morning);
  cv1::VisitRecord bed_record = Record(bed);
  EXPECT_EQ(morning_record.state(), cv1::DELIVERY_STATE_COMPLETED);
  EXPECT_EQ(bed_record.state(), cv1::DELIVERY_STATE_COMPLETED);
  EXPECT_THAT(morning_record.exceptions(), IsEmpty());
  EXPECT_THAT(bed_record.exceptions(), IsEmpty());
  ASSERT_THAT(morning_record.slots(), SizeIs(1));
  ASSERT_THAT(bed_record.slots(), SizeIs(2));
  EXPECT_EQ(morning_record.visit_outcome(), cv1::VISIT_OUTCOME_COMPLETED);
  EXPECT_THAT(morning_record.task_outcomes(), SizeIs(week_.morning[3].tasks_size()));
  for (const cv1::VisitRecord* record : {&morning_record, &bed_record}) {
    const absl::Time planned = At(record->planned_start());
    for (const cv1::CarerSlot& slot : record->slots()) {
      SCOPED_TRACE(absl::StrCat(record->visit_id(), " ", slot.carer_id()));
      EXPECT_TRUE(slot.check_in_verified());
      EXPECT_TRUE(slot.check_out_verified());
      EXPECT_EQ(slot.check_in_method(), cv1::CHECK_IN_METHOD_GPS);
      EXPECT_LE(slot.check_in_distance_meters(), carer_sim::kMaxNoiseDeviations * kNoise * 1.01);
      EXPECT_LE(slot.check_out_distance_meters(), carer_sim::kMaxNoiseDeviations * kNoise * 1.01);
      // The default lateness: up to 10 minutes after the planned start.
      EXPECT_GE(At(slot.check_in_time()), planned);
      EXPECT_LE(At(slot.check_in_time()), planned + absl::Minutes(10));
      EXPECT_GT(At(slot.check_out_time()), At(slot.check_in_time()));
    }
    // Each event's true time is its tap, whether queued all morning or sent late in the evening:
    // the phone's sent time is its clock when it sent, so the service sees no skew.
    ASSERT_THAT(record->events(), SizeIs(2 * record->slots_size()));
    for (const cv1::StoredEvent& event : record->events()) {
      EXPECT_EQ(event.estimated_time().seconds(), event.device_time().seconds());
      EXPECT_EQ(event.estimated_time().nanos(), event.device_time().nanos());
      EXPECT_EQ(At(event.sent_time()), sent);
      EXPECT_EQ(At(event.received_time()), sent);
      EXPECT_THAT(Kinds(event.exceptions()), IsEmpty());
    }
  }

  // The same command again: the phone retries the same events; nothing changes.
  auto [again_code, again] = RunSim(args);
  ASSERT_EQ(again_code, 0) << again;
  lines = EventLines(again);
  ASSERT_THAT(lines, SizeIs(6)) << again;
  for (const std::string& line : lines) EXPECT_THAT(line, HasSubstr(" duplicate")) << again;
  EXPECT_THAT(again, HasSubstr("4 accepted (4 duplicates)")) << again;
  EXPECT_THAT(again, HasSubstr("2 accepted (2 duplicates)")) << again;
  EXPECT_EQ(Record(morning).version(), morning_record.version());
  EXPECT_EQ(Record(bed).version(), bed_record.version());

  // --quiet keeps the summaries only.
  std::vector<std::string> quietly = args;
  quietly.push_back("--quiet");
  auto [quiet_code, quiet] = RunSim(quietly);
  EXPECT_EQ(quiet_code, 0) << quiet;
  EXPECT_THAT(EventLines(quiet), IsEmpty()) << quiet;
  EXPECT_THAT(quiet, HasSubstr("all 2 carers: 3 visits played, 6 events accepted (6 duplicates)"))
      << quiet;
}

TEST_F(CarerSimTest, ADayStopsAtThePhonesClockANobodysDayIsEmptyAndNoSignalFails) {
  const std::string morning = week_.morning[3].visit_id();
  const std::string bed = week_.bed[3].visit_id();
  ASSERT_NO_FATAL_FAILURE(StaffTuesday());

  // Noon: the morning is done; a phone cannot tap its bedtime visit yet.
  clock_.Set(Local(2030, 12, 3, 12, 0));
  auto [code, output] = RunSim({"--carers", ann_.carer_id(), "--date", "2030-12-03"});
  EXPECT_EQ(code, 0) << output;
  EXPECT_THAT(EventLines(output), SizeIs(2)) << output;
  EXPECT_THAT(output, HasSubstr(": 1 of 2 visits played, 4 events: 2 accepted")) << output;
  EXPECT_THAT(output, HasSubstr("2 events not sent yet: the next is tapped at 2030-12-03 21:"))
      << output;
  EXPECT_EQ(Record(morning).state(), cv1::DELIVERY_STATE_COMPLETED);
  EXPECT_THAT(Record(bed).events(), IsEmpty());

  // Bob has nothing on the 4th.
  std::tie(code, output) = RunSim({"--carers", bob_.carer_id(), "--date", "2030-12-04"});
  EXPECT_EQ(code, 0) << output;
  EXPECT_THAT(output, HasSubstr(absl::StrCat("carer ", bob_.carer_id(),
                                             ": no visits on 2030-12-04: nothing to play")))
      << output;
  EXPECT_THAT(EventLines(output), IsEmpty()) << output;

  // No check-in service there: a few quick retries, then a clear failure.
  clock_.Set(Local(2030, 12, 3, 23, 0));
  const absl::Time start = absl::Now();
  std::tie(code, output) =
      RunSim({"--carers", ann_.carer_id(), "--date", "2030-12-03", "--seed", "9"}, "127.0.0.1:1");
  EXPECT_EQ(code, 1) << output;
  EXPECT_LT(absl::Now() - start, absl::Seconds(20));
  EXPECT_THAT(output, HasSubstr("could not reach homecare-checkin at 127.0.0.1:1 after 4 attempts"))
      << output;
  EXPECT_THAT(output, HasSubstr("4 events not sent")) << output;
  EXPECT_THAT(Record(bed).events(), IsEmpty());

  // At a live pace a day already past goes out at once too.
  std::tie(code, output) =
      RunSim({"--carers", bob_.carer_id(), "--date", "2030-12-03", "--pace", "realtime"});
  EXPECT_EQ(code, 0) << output;
  EXPECT_THAT(output, HasSubstr("1 of 1 visits played, 2 events: 2 accepted")) << output;
  EXPECT_THAT(Record(bed).events(), SizeIs(2));

  // Flags that make no sense are refused before anything is sent.
  std::tie(code, output) = RunSim({"--carers", ann_.carer_id(), "--offline", "noon"});
  EXPECT_EQ(code, 2) << output;
  EXPECT_THAT(output, HasSubstr("--offline")) << output;
  std::tie(code, output) = RunSim({"--carers", ann_.carer_id(), "--pace", "slow"});
  EXPECT_EQ(code, 2) << output;
}

}  // namespace
}  // namespace homecare
