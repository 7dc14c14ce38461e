#pragma once
// One-dimensional histograms with explicit bin edges: what the chi2 test, the separation
// power and the evaluation plots are computed from. Bins are [e_i, e_i+1) except the last,
// which is closed on the right ([e_n-1, e_n]) as in numpy.histogram, so the maximum of a
// reference sample lands in the last bin when the edges come from that sample.

#include <cstddef>
#include <vector>

namespace bolo {

class Histogram {
 public:
  /// `edges` strictly increasing and finite, at least two; InputError otherwise.
  explicit Histogram(std::vector<double> edges);

  /// `bins` equal-width bins over [lo, hi].
  static Histogram uniform(int bins, double lo, double hi);
  /// `bins` bins equally wide in log(x) over [lo, hi]; needs 0 < lo < hi.
  static Histogram logarithmic(int bins, double lo, double hi);
  /// Bins holding about equal numbers of `reference` values (see quantileEdges).
  static Histogram fromQuantiles(const std::vector<double>& reference, int bins);

  /// Add `weight` to the bin containing `x`; below the first edge goes to the underflow,
  /// above the last to the overflow. NaN is an InputError (a NaN feature is a bug upstream).
  void fill(double x, double weight = 1.0);
  void fill(const std::vector<double>& values);
  /// Add another histogram with identical edges (InputError otherwise).
  void add(const Histogram& other);
  /// Multiply contents by `factor` (sum of squared weights by factor^2).
  void scale(double factor);
  /// A copy whose in-range contents sum to 1 (InputError if the in-range sum is zero).
  Histogram normalized() const;
  /// A copy with the underflow added to the first bin and the overflow to the last, so that
  /// every entry counts in the comparisons.
  Histogram withOverflowInEdgeBins() const;

  int bins() const { return static_cast<int>(m_contents.size()); }
  const std::vector<double>& edges() const { return m_edges; }
  double lowEdge(int bin) const { return m_edges[static_cast<std::size_t>(bin)]; }
  double highEdge(int bin) const { return m_edges[static_cast<std::size_t>(bin) + 1]; }
  double centre(int bin) const { return 0.5 * (lowEdge(bin) + highEdge(bin)); }
  double width(int bin) const { return highEdge(bin) - lowEdge(bin); }

  /// Index of the bin holding x: -1 underflow, bins() overflow.
  int findBin(double x) const;
  /// Sum of weights in a bin.
  double content(int bin) const { return m_contents[static_cast<std::size_t>(bin)]; }
  /// Sum of squared weights in a bin (its variance estimate).
  double sumOfSquaredWeights(int bin) const { return m_sumw2[static_cast<std::size_t>(bin)]; }
  /// sqrt(sum of squared weights).
  double error(int bin) const;
  const std::vector<double>& contents() const { return m_contents; }
  double underflow() const { return m_underflow; }
  double overflow() const { return m_overflow; }
  /// Number of fill calls, in range or not.
  std::size_t entries() const { return m_entries; }
  /// Sum of in-range contents.
  double integral() const;
  /// Contents divided by (integral * bin width): a probability density over the range.
  std::vector<double> densities() const;
  /// Bins with a non-zero content.
  int nonEmptyBins() const;
  bool sameEdges(const Histogram& other) const;

 private:
  std::vector<double> m_edges;
  std::vector<double> m_contents;
  std::vector<double> m_sumw2;
  double m_underflow = 0;
  double m_overflow = 0;
  std::size_t m_entries = 0;
};

/// Edges at the 0, 1/bins, ..., 1 quantiles of `reference` (finite values, at least one).
/// Repeated edges (discrete values) are merged, so fewer bins may result; a sample with a
/// single distinct value gets one bin of width 1 around it.
std::vector<double> quantileEdges(std::vector<double> reference, int bins);

}  // namespace bolo
