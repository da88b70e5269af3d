#include "common/ids/ids.h"

#include <set>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace homecare {
namespace {

using ::testing::MatchesRegex;

TEST(RandomIdTest, PrefixedBase32AndUnique) {
  std::set<std::string> seen;
  for (int i = 0; i < 1000; ++i) {
    std::string id = RandomId("car");
    EXPECT_THAT(id, MatchesRegex("car_[a-z2-7]{26}"));
    EXPECT_TRUE(seen.insert(id).second);
    EXPECT_TRUE(ValidateId("id", id).ok());
  }
}

TEST(DeterministicIdTest, SamePartsSameIdAndBoundariesMatter) {
  EXPECT_EQ(DeterministicId("v", {"plan1", "p1", "2026-03-29"}),
            DeterministicId("v", {"plan1", "p1", "2026-03-29"}));
  EXPECT_NE(DeterministicId("v", {"plan1", "p1", "2026-03-29"}),
            DeterministicId("v", {"plan1", "p1", "2026-03-30"}));
  EXPECT_NE(DeterministicId("v", {"ab", "c"}), DeterministicId("v", {"a", "bc"}));
  EXPECT_THAT(DeterministicId("vis", {"x"}), MatchesRegex("vis_[a-z2-7]{26}"));
}

TEST(RandomUuidTest, Version4Format) {
  EXPECT_THAT(RandomUuid(),
              MatchesRegex("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}"));
  EXPECT_NE(RandomUuid(), RandomUuid());
}

TEST(Sha256HexTest, KnownVector) {
  EXPECT_EQ(Sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(ValidateIdTest, RefusesKeyBreakingCharacters) {
  EXPECT_TRUE(ValidateId("carer_id", "c-12_AB").ok());
  EXPECT_FALSE(ValidateId("carer_id", "").ok());
  EXPECT_FALSE(ValidateId("carer_id", "a}b").ok());
  EXPECT_FALSE(ValidateId("carer_id", "a:b").ok());
  EXPECT_FALSE(ValidateId("carer_id", "a b").ok());
  EXPECT_FALSE(ValidateId("carer_id", std::string(65, 'a')).ok());
  EXPECT_EQ(ValidateId("carer_id", "{x}").message(),
            "carer_id: may contain only letters, digits, '_' and '-'");
}

TEST(ValidateSlugTest, Rules) {
  EXPECT_TRUE(ValidateSlug("tenant_id", "sunrise-care").ok());
  EXPECT_TRUE(ValidateSlug("tenant_id", "t01").ok());
  EXPECT_FALSE(ValidateSlug("tenant_id", "ab").ok());
  EXPECT_FALSE(ValidateSlug("tenant_id", "1abc").ok());
  EXPECT_FALSE(ValidateSlug("tenant_id", "Sunrise").ok());
  EXPECT_FALSE(ValidateSlug("tenant_id", "sun_rise").ok());
  EXPECT_FALSE(ValidateSlug("tenant_id", std::string(41, 'a')).ok());
}

}  // namespace
}  // namespace homecare
