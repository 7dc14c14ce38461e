#pragma once
// Counter-based seeding for reproducible parallel Monte Carlo: every shower gets its own
// random engine seeded from (run seed, energy index, shower index) through the splitmix64
// mixer, so a file is bit-identical whatever the number of threads or the order of work.

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <random>

namespace bolo {

/// splitmix64 finaliser (Steele, Lea, Flood 2014): a bijective 64-bit mixer whose outputs
/// for consecutive inputs are statistically independent.
constexpr std::uint64_t splitmix64(std::uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

/// The seed of one shower: distinct for every (seed, energy index, shower index).
constexpr std::uint64_t showerSeed(std::uint64_t seed, std::uint64_t energyIndex,
                                   std::uint64_t showerIndex) {
  return splitmix64(splitmix64(splitmix64(seed) ^ energyIndex) ^ showerIndex);
}

/// The random numbers one shower draws: a 64-bit Mersenne twister with the draws the
/// shower models need. One object per shower; never shared between threads.
class ShowerRng {
 public:
  explicit ShowerRng(std::uint64_t seed) : m_engine(seed) {}

  /// Uniform in [0, 1) with 53 random bits.
  double uniform() { return static_cast<double>(m_engine() >> 11) * 0x1.0p-53; }
  /// Uniform in (0, 1]: safe for logarithms.
  double uniformPositive() { return 1.0 - uniform(); }
  double normal() { return m_normal(m_engine); }
  double exponential(double mean) { return -mean * std::log(uniformPositive()); }
  /// Gamma distribution with the given shape and scale (mean shape * scale).
  double gamma(double shape, double scale) {
    return std::gamma_distribution<double>(shape, scale)(m_engine);
  }
  /// Beta(a, b) through two gamma draws.
  double beta(double a, double b) {
    const double x = gamma(a, 1.0), y = gamma(b, 1.0);
    return x + y > 0 ? x / (x + y) : a / (a + b);  // both underflow only for tiny a and b
  }
  /// Poisson counts: multiplication method for small means, the normal approximation
  /// (rounded, clipped at 0) above `kNormalAbove`, where its error is below 1/sqrt(mean).
  long long poisson(double mean) {
    if (mean <= 0) return 0;
    if (mean > kNormalAbove) {
      const double x = std::floor(mean + std::sqrt(mean) * normal() + 0.5);
      return x > 0 ? static_cast<long long>(x) : 0;
    }
    const double limit = std::exp(-mean);
    long long k = 0;
    double product = uniformPositive();
    while (product > limit) {
      ++k;
      product *= uniformPositive();
    }
    return k;
  }
  /// A Moyal-distributed value (the usual closed-form approximation of the Landau energy
  /// loss distribution): -ln(z^2) with z standard normal; most probable value 0.
  double moyal() {
    const double z = normal();
    return -std::log(std::max(z * z, 1e-300));
  }

  static constexpr double kNormalAbove = 30.0;

 private:
  std::mt19937_64 m_engine;
  std::normal_distribution<double> m_normal;
};

}  // namespace bolo
