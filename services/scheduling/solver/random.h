// A small, fast generator with the same sequence on every platform (the standard distributions
// are not specified bit for bit, and the solver must be reproducible from its seed).
#ifndef SERVICES_SCHEDULING_SOLVER_RANDOM_H_
#define SERVICES_SCHEDULING_SOLVER_RANDOM_H_

#include <cstdint>

namespace homecare::scheduling::solver {

// xoshiro256** seeded through splitmix64.
class Random {
 public:
  explicit Random(std::uint64_t seed) {
    for (std::uint64_t& word : state_) word = SplitMix(seed);
  }

  std::uint64_t Next() {
    const std::uint64_t result = Rotl(state_[1] * 5, 7) * 9;
    const std::uint64_t t = state_[1] << 17;
    state_[2] ^= state_[0];
    state_[3] ^= state_[1];
    state_[1] ^= state_[2];
    state_[0] ^= state_[3];
    state_[2] ^= t;
    state_[3] = Rotl(state_[3], 45);
    return result;
  }

  // Uniform in [0, n); n must be positive.
  int Uniform(int n) {
    return static_cast<int>((static_cast<unsigned __int128>(Next()) * static_cast<unsigned>(n)) >>
                            64);
  }
  // Uniform in [lo, hi].
  int UniformBetween(int lo, int hi) { return lo + Uniform(hi - lo + 1); }
  // Uniform in [0, 1).
  double UniformDouble() { return static_cast<double>(Next() >> 11) * 0x1.0p-53; }
  bool Bernoulli(double p) { return UniformDouble() < p; }

  // A seed for a derived generator (one per search thread).
  static std::uint64_t Derive(std::uint64_t seed, std::uint64_t index) {
    std::uint64_t s = seed ^ (0x9E3779B97F4A7C15ull * (index + 1));
    return SplitMix(s);
  }

 private:
  static std::uint64_t Rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  static std::uint64_t SplitMix(std::uint64_t& x) {
    std::uint64_t z = (x += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }

  std::uint64_t state_[4];
};

}  // namespace homecare::scheduling::solver

#endif  // SERVICES_SCHEDULING_SOLVER_RANDOM_H_
