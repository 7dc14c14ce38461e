#include "common/Histogram.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "common/Error.hpp"

namespace bolo {

namespace {

void checkBinCount(int bins, const char* what) {
  if (bins < 1) throw InputError(fmt::format("{}: bin count must be positive, got {}", what, bins));
}

}  // namespace

Histogram::Histogram(std::vector<double> edges) : m_edges(std::move(edges)) {
  if (m_edges.size() < 2) {
    throw InputError(
        fmt::format("histogram: needs at least two bin edges, got {}", m_edges.size()));
  }
  for (std::size_t i = 0; i < m_edges.size(); ++i) {
    if (!std::isfinite(m_edges[i])) {
      throw InputError(fmt::format("histogram: bin edge {} is not finite", i));
    }
    if (i > 0 && !(m_edges[i] > m_edges[i - 1])) {
      throw InputError(fmt::format("histogram: bin edges must increase strictly ({} then {})",
                                   m_edges[i - 1], m_edges[i]));
    }
  }
  m_contents.assign(m_edges.size() - 1, 0.0);
  m_sumw2.assign(m_edges.size() - 1, 0.0);
}

Histogram Histogram::uniform(int bins, double lo, double hi) {
  checkBinCount(bins, "uniform histogram");
  if (!(hi > lo)) throw InputError(fmt::format("uniform histogram: empty range [{}, {}]", lo, hi));
  std::vector<double> edges(static_cast<std::size_t>(bins) + 1);
  for (int i = 0; i <= bins; ++i) edges[static_cast<std::size_t>(i)] = lo + (hi - lo) * i / bins;
  edges.back() = hi;
  return Histogram(std::move(edges));
}

Histogram Histogram::logarithmic(int bins, double lo, double hi) {
  checkBinCount(bins, "logarithmic histogram");
  if (!(lo > 0) || !(hi > lo)) {
    throw InputError(fmt::format("logarithmic histogram: needs 0 < lo < hi, got [{}, {}]", lo, hi));
  }
  const double a = std::log(lo), b = std::log(hi);
  std::vector<double> edges(static_cast<std::size_t>(bins) + 1);
  for (int i = 0; i <= bins; ++i)
    edges[static_cast<std::size_t>(i)] = std::exp(a + (b - a) * i / bins);
  edges.front() = lo;
  edges.back() = hi;
  return Histogram(std::move(edges));
}

Histogram Histogram::fromQuantiles(const std::vector<double>& reference, int bins) {
  return Histogram(quantileEdges(reference, bins));
}

int Histogram::findBin(double x) const {
  if (x < m_edges.front()) return -1;
  if (x > m_edges.back()) return bins();
  if (x == m_edges.back()) return bins() - 1;  // last bin closed on the right
  const auto it = std::upper_bound(m_edges.begin(), m_edges.end(), x);
  return static_cast<int>(it - m_edges.begin()) - 1;
}

void Histogram::fill(double x, double weight) {
  if (std::isnan(x)) throw InputError("histogram: cannot fill NaN");
  ++m_entries;
  const int bin = findBin(x);
  if (bin < 0) {
    m_underflow += weight;
  } else if (bin >= bins()) {
    m_overflow += weight;
  } else {
    m_contents[static_cast<std::size_t>(bin)] += weight;
    m_sumw2[static_cast<std::size_t>(bin)] += weight * weight;
  }
}

void Histogram::fill(const std::vector<double>& values) {
  for (double x : values) fill(x);
}

bool Histogram::sameEdges(const Histogram& other) const {
  return m_edges == other.m_edges;
}

void Histogram::add(const Histogram& other) {
  if (!sameEdges(other))
    throw InputError("histogram: cannot add histograms with different bin edges");
  for (std::size_t i = 0; i < m_contents.size(); ++i) {
    m_contents[i] += other.m_contents[i];
    m_sumw2[i] += other.m_sumw2[i];
  }
  m_underflow += other.m_underflow;
  m_overflow += other.m_overflow;
  m_entries += other.m_entries;
}

void Histogram::scale(double factor) {
  for (std::size_t i = 0; i < m_contents.size(); ++i) {
    m_contents[i] *= factor;
    m_sumw2[i] *= factor * factor;
  }
  m_underflow *= factor;
  m_overflow *= factor;
}

Histogram Histogram::normalized() const {
  const double sum = integral();
  if (!(sum > 0)) throw InputError("histogram: cannot normalise, no content in range");
  Histogram copy = *this;
  copy.scale(1.0 / sum);
  return copy;
}

Histogram Histogram::withOverflowInEdgeBins() const {
  Histogram copy = *this;
  // The squared weights of the folded entries are not tracked separately; for unit weights
  // (the comparisons' case) the count is also its sum of squares.
  copy.m_contents.front() += m_underflow;
  copy.m_sumw2.front() += std::abs(m_underflow);
  copy.m_contents.back() += m_overflow;
  copy.m_sumw2.back() += std::abs(m_overflow);
  copy.m_underflow = 0;
  copy.m_overflow = 0;
  return copy;
}

double Histogram::error(int bin) const {
  return std::sqrt(sumOfSquaredWeights(bin));
}

double Histogram::integral() const {
  double sum = 0;
  for (double c : m_contents) sum += c;
  return sum;
}

std::vector<double> Histogram::densities() const {
  const double sum = integral();
  std::vector<double> out(m_contents.size(), 0.0);
  if (!(sum > 0)) return out;
  for (int i = 0; i < bins(); ++i) out[static_cast<std::size_t>(i)] = content(i) / (sum * width(i));
  return out;
}

int Histogram::nonEmptyBins() const {
  return static_cast<int>(
      std::count_if(m_contents.begin(), m_contents.end(), [](double c) { return c != 0; }));
}

std::vector<double> quantileEdges(std::vector<double> reference, int bins) {
  checkBinCount(bins, "quantile histogram");
  if (reference.empty()) throw InputError("quantile histogram: the reference sample is empty");
  for (double x : reference) {
    if (!std::isfinite(x))
      throw InputError("quantile histogram: the reference sample holds a non-finite value");
  }
  std::sort(reference.begin(), reference.end());
  const std::size_t n = reference.size();
  std::vector<double> edges;
  for (int k = 0; k <= bins; ++k) {
    // Linear interpolation between order statistics (numpy.quantile's default method).
    const double position = static_cast<double>(k) * static_cast<double>(n - 1) / bins;
    const auto below = static_cast<std::size_t>(std::floor(position));
    const std::size_t above = std::min(below + 1, n - 1);
    const double fraction = position - static_cast<double>(below);
    const double edge = reference[below] + fraction * (reference[above] - reference[below]);
    if (edges.empty() || edge > edges.back()) edges.push_back(edge);
  }
  if (edges.size() == 1) return {edges[0] - 0.5, edges[0] + 0.5};
  edges.back() = reference.back();
  return edges;
}

}  // namespace bolo
