// A carer record that passes every rule, for tests to start from and change one field of.
#ifndef HOMECARE_SERVICES_ROSTER_SAMPLE_CARER_H_
#define HOMECARE_SERVICES_ROSTER_SAMPLE_CARER_H_

#include <string>

#include "homecare/roster/v1/roster.pb.h"

namespace homecare::roster {

// A driving carer in `locality` with a home in London, 30 contracted hours a week, at most 8
// hours a day, paid £13.00 an hour, with the medication skill.
inline v1::Carer SampleCarer(const std::string& name, const std::string& locality = "north") {
  v1::Carer carer;
  carer.set_display_name(name);
  carer.set_gender(common::v1::GENDER_FEMALE);
  carer.set_locality_id(locality);
  carer.mutable_home()->set_latitude(51.5);
  carer.mutable_home()->set_longitude(-0.12);
  carer.set_contracted_minutes_per_week(1800);
  carer.set_max_minutes_per_day(480);
  carer.set_hourly_rate_pence(1300);
  carer.set_travel_mode(v1::TRAVEL_MODE_DRIVES);
  carer.add_skills()->set_skill("medication");
  return carer;
}

}  // namespace homecare::roster

#endif  // HOMECARE_SERVICES_ROSTER_SAMPLE_CARER_H_
