#include "calo/ClassifierMetrics.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <numbers>
#include <numeric>

#include "common/Error.hpp"

namespace bolo {

namespace {

void checkSizes(std::size_t scores, std::size_t labels, const char* what) {
  if (scores != labels || scores == 0) {
    throw InputError(fmt::format("{}: need as many labels as scores, and at least one ({} and {})",
                                 what, scores, labels));
  }
}

std::vector<std::size_t> orderOf(const std::vector<double>& scores) {
  std::vector<std::size_t> order(scores.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return scores[a] < scores[b]; });
  return order;
}

}  // namespace

double rocAuc(const std::vector<double>& scores, const std::vector<int>& labels) {
  checkSizes(scores.size(), labels.size(), "ROC AUC");
  const auto order = orderOf(scores);
  // Rank sum of the positives with mid-ranks for ties.
  double positives = 0, negatives = 0, rankSum = 0;
  std::size_t i = 0;
  while (i < order.size()) {
    std::size_t j = i;
    while (j + 1 < order.size() && scores[order[j + 1]] == scores[order[i]]) ++j;
    const double midRank = 0.5 * static_cast<double>(i + j) + 1.0;
    for (std::size_t k = i; k <= j; ++k) {
      if (labels[order[k]] == 1) {
        positives += 1;
        rankSum += midRank;
      } else {
        negatives += 1;
      }
    }
    i = j + 1;
  }
  if (positives == 0 || negatives == 0) throw InputError("ROC AUC: both classes must be present");
  return (rankSum - positives * (positives + 1) / 2) / (positives * negatives);
}

double accuracy(const std::vector<double>& probabilities, const std::vector<int>& labels) {
  checkSizes(probabilities.size(), labels.size(), "accuracy");
  std::size_t right = 0;
  for (std::size_t i = 0; i < labels.size(); ++i)
    right += (probabilities[i] >= 0.5) == (labels[i] == 1) ? 1 : 0;
  return static_cast<double>(right) / static_cast<double>(labels.size());
}

double binaryCrossEntropy(const std::vector<double>& probabilities,
                          const std::vector<int>& labels) {
  checkSizes(probabilities.size(), labels.size(), "binary cross-entropy");
  double sum = 0;
  for (std::size_t i = 0; i < labels.size(); ++i) {
    const double p = std::clamp(probabilities[i], 1e-7, 1.0 - 1e-7);
    sum -= labels[i] == 1 ? std::log(p) : std::log(1.0 - p);
  }
  return sum / static_cast<double>(labels.size());
}

double jsdFromCrossEntropy(double bce) {
  return (std::numbers::ln2 - bce) / std::numbers::ln2;
}

IsotonicCalibration::IsotonicCalibration(const std::vector<double>& scores,
                                         const std::vector<int>& labels, double yMin, double yMax) {
  checkSizes(scores.size(), labels.size(), "isotonic calibration");
  const auto order = orderOf(scores);
  // Blocks of (x, mean y, weight): ties in x merged first, then adjacent violators pooled.
  struct Block {
    double x, y, weight;
  };
  std::vector<Block> tied;
  for (std::size_t k = 0; k < order.size(); ++k) {
    const double x = scores[order[k]], y = labels[order[k]] == 1 ? 1.0 : 0.0;
    if (!tied.empty() && tied.back().x == x) {
      auto& b = tied.back();
      b.y = (b.y * b.weight + y) / (b.weight + 1);
      b.weight += 1;
    } else {
      tied.push_back({x, y, 1.0});
    }
  }
  struct Pool {
    double y, weight;
    std::size_t first, last;
  };
  std::vector<Pool> pools;
  for (std::size_t k = 0; k < tied.size(); ++k) {
    pools.push_back({tied[k].y, tied[k].weight, k, k});
    while (pools.size() > 1 && pools[pools.size() - 2].y >= pools.back().y) {
      const Pool top = pools.back();
      pools.pop_back();
      auto& below = pools.back();
      below.y = (below.y * below.weight + top.y * top.weight) / (below.weight + top.weight);
      below.weight += top.weight;
      below.last = top.last;
    }
  }
  // Keep the end points of every pool: enough for the piecewise-linear interpolation.
  for (const auto& p : pools) {
    const double y = std::clamp(p.y, yMin, yMax);
    m_x.push_back(tied[p.first].x);
    m_y.push_back(y);
    if (p.last != p.first) {
      m_x.push_back(tied[p.last].x);
      m_y.push_back(y);
    }
  }
}

double IsotonicCalibration::operator()(double score) const {
  if (score <= m_x.front()) return m_y.front();
  if (score >= m_x.back()) return m_y.back();
  const auto it = std::upper_bound(m_x.begin(), m_x.end(), score);
  const std::size_t hi = static_cast<std::size_t>(it - m_x.begin()), lo = hi - 1;
  const double t = (score - m_x[lo]) / (m_x[hi] - m_x[lo]);
  return m_y[lo] + t * (m_y[hi] - m_y[lo]);
}

std::vector<double> IsotonicCalibration::operator()(const std::vector<double>& scores) const {
  std::vector<double> out(scores.size());
  for (std::size_t i = 0; i < scores.size(); ++i) out[i] = (*this)(scores[i]);
  return out;
}

}  // namespace bolo
