#pragma once
// Input preprocessing of the taggers, fitted on the training split and stored with every
// model: variables whose algorithm found nothing (missing flag set) are replaced by the
// training mean of the found values, heavy-tailed lengths and significances go through
// log(1 + x), then every variable is standardised with the stored mean and standard
// deviation. The missing flags themselves pass through as 0/1.

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "ftag/JetSample.hpp"

namespace bolo {

class JetPreprocessing {
 public:
  /// Means and standard deviations of the found values of each variable in `train`.
  static JetPreprocessing fit(const JetSample& train);
  /// Read back what toJson() wrote; InputError naming the JSON path if inconsistent.
  static JetPreprocessing fromJson(const nlohmann::json& json,
                                   const std::string& path = "preprocessing");
  nlohmann::json toJson() const;

  /// The scaled inputs, row-major like `sample.features`.
  std::vector<float> apply(const JetSample& sample) const;
  /// Scale one row in place.
  void applyRow(float* row) const;

  const std::vector<double>& means() const { return m_means; }
  const std::vector<double>& stds() const { return m_stds; }

 private:
  std::vector<std::string> m_names;
  std::vector<double> m_means, m_stds;
  std::vector<bool> m_log;
  std::vector<long> m_flag;  ///< index of the variable's missing flag, -1 for none
  std::vector<bool> m_isFlag;
};

}  // namespace bolo
