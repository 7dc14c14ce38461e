#pragma once
// Comparing two histograms with the same bin edges: the two-sample chi2 test for unweighted
// histograms of possibly different sizes, and the separation power of the CaloChallenge.
// The definitions, with worked numbers, are in docs/evaluation.md.

#include <vector>

#include "common/Histogram.hpp"

namespace bolo {

struct Chi2Result {
  double chi2 = 0;
  int ndf = 0;
  /// chi2 / ndf; NaN when ndf is 0 (at most one bin filled in either histogram).
  double chi2PerNdf() const;
};

/// Two-sample chi2 of unweighted histograms (ROOT's TH1::Chi2Test "UU", NIST 1.3.5.15):
///   chi2 = sum_i (sqrt(N2/N1) n1_i - sqrt(N1/N2) n2_i)^2 / (n1_i + n2_i)
/// over bins with n1_i + n2_i > 0, N1 and N2 the in-range totals; NDF = (number of such
/// bins) - 1. Under- and overflows are ignored: fold them first with
/// Histogram::withOverflowInEdgeBins() to make them count. Contents are taken as counts.
/// InputError if the edges differ or either histogram has no content in range.
Chi2Result chi2Test(const Histogram& first, const Histogram& second);

/// Chi2 combined over several comparisons (e.g. energy points): sum chi2 and sum NDF, so
/// chi2PerNdf() is sum chi2 / sum NDF.
Chi2Result combineChi2(const std::vector<Chi2Result>& results);

/// Separation power (triangular discrimination) of the in-range contents, each histogram
/// normalised to unit sum: S = 1/2 sum_i (h1_i - h2_i)^2 / (h1_i + h2_i), bins with
/// h1_i + h2_i = 0 skipped. 0 for identical shapes, 1 for disjoint ones.
/// InputError if the edges differ or either histogram has no content in range.
double separationPower(const Histogram& first, const Histogram& second);

}  // namespace bolo
