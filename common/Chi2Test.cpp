#include "common/Chi2Test.hpp"

#include <cmath>
#include <limits>

#include "common/Error.hpp"

namespace bolo {

namespace {

void checkComparable(const Histogram& first, const Histogram& second, const char* what) {
  if (!first.sameEdges(second)) {
    throw InputError(std::string(what) + ": the histograms have different bin edges");
  }
  if (!(first.integral() > 0) || !(second.integral() > 0)) {
    throw InputError(std::string(what) + ": a histogram has no content in range");
  }
}

}  // namespace

double Chi2Result::chi2PerNdf() const {
  return ndf > 0 ? chi2 / ndf : std::numeric_limits<double>::quiet_NaN();
}

Chi2Result chi2Test(const Histogram& first, const Histogram& second) {
  checkComparable(first, second, "chi2 test");
  const double total1 = first.integral(), total2 = second.integral();
  const double scale1 = std::sqrt(total2 / total1), scale2 = std::sqrt(total1 / total2);
  Chi2Result result;
  int filled = 0;
  for (int i = 0; i < first.bins(); ++i) {
    const double n1 = first.content(i), n2 = second.content(i);
    if (n1 + n2 <= 0) continue;
    const double difference = scale1 * n1 - scale2 * n2;
    result.chi2 += difference * difference / (n1 + n2);
    ++filled;
  }
  result.ndf = filled - 1;
  return result;
}

Chi2Result combineChi2(const std::vector<Chi2Result>& results) {
  Chi2Result sum;
  for (const auto& r : results) {
    sum.chi2 += r.chi2;
    sum.ndf += r.ndf;
  }
  return sum;
}

double separationPower(const Histogram& first, const Histogram& second) {
  checkComparable(first, second, "separation power");
  const double total1 = first.integral(), total2 = second.integral();
  double sum = 0;
  for (int i = 0; i < first.bins(); ++i) {
    const double h1 = first.content(i) / total1, h2 = second.content(i) / total2;
    if (h1 + h2 <= 0) continue;
    sum += (h1 - h2) * (h1 - h2) / (h1 + h2);
  }
  return 0.5 * sum;
}

}  // namespace bolo
