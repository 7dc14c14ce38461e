#pragma once
// Figures of merit of a binary classifier that tells generated from reference showers:
// ROC AUC, isotonic calibration of its probabilities, binary cross-entropy and the
// Jensen-Shannon divergence estimate the CaloChallenge derives from it. No torch here.

#include <vector>

namespace bolo {

/// Area under the ROC curve of `scores` for `labels` (1 positive, 0 negative): the probability
/// that a random positive scores above a random negative, ties counting one half
/// (Mann-Whitney U / (n+ n-)). InputError if a class is missing or sizes differ.
double rocAuc(const std::vector<double>& scores, const std::vector<int>& labels);

/// Fraction of `probabilities` on the right side of 0.5 (p >= 0.5 predicts label 1).
double accuracy(const std::vector<double>& probabilities, const std::vector<int>& labels);

/// Mean binary cross-entropy (natural log) of probabilities, clamped to [1e-7, 1 - 1e-7].
double binaryCrossEntropy(const std::vector<double>& probabilities, const std::vector<int>& labels);

/// JSD estimate in units of ln 2 from the cross-entropy of an optimal classifier:
/// (ln 2 - BCE) / ln 2. 0 for indistinguishable samples, 1 for fully separated ones.
double jsdFromCrossEntropy(double bce);

/// Monotone (non-decreasing) calibration map fitted by isotonic regression (pool adjacent
/// violators), as sklearn's IsotonicRegression(out_of_bounds='clip', y_min, y_max):
/// ties in the input are averaged first, predictions interpolate linearly between the
/// fitted points and are clipped outside them.
class IsotonicCalibration {
 public:
  IsotonicCalibration(const std::vector<double>& scores, const std::vector<int>& labels,
                      double yMin = 1e-6, double yMax = 1.0 - 1e-6);
  double operator()(double score) const;
  std::vector<double> operator()(const std::vector<double>& scores) const;
  const std::vector<double>& thresholds() const { return m_x; }
  const std::vector<double>& values() const { return m_y; }

 private:
  std::vector<double> m_x;
  std::vector<double> m_y;
};

}  // namespace bolo
