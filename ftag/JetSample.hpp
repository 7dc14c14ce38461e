#pragma once
// Jets as the taggers see them: one row of DL1 input variables per jet plus its flavour
// label. The variable list (names, algorithm, default value, transform) is defined once here
// and shared by the generator, the HDF5 file, the preprocessing and the BDT.

#include <cstddef>
#include <string>
#include <vector>

namespace bolo {

/// Truth flavour, used as the class index of the taggers' outputs (p_b, p_c, p_light).
enum class Flavour : int { kB = 0, kC = 1, kLight = 2 };
constexpr int kFlavourCount = 3;
/// "b", "c", "light".
std::string flavourName(int flavour);

/// One input variable of the taggers.
struct JetVariable {
  std::string name;
  /// Which algorithm computes it: kinematics, ip2d, ip3d, sv1, jf, jfc (JetFitter
  /// c-tagging) or flag (the "algorithm found nothing" indicators).
  std::string algorithm;
  /// Value the algorithm writes when it finds nothing (ignored for kinematics and flags).
  float defaultValue = 0;
  /// Heavy-tailed positive variables are scaled as log(1 + x) before standardisation.
  bool logTransform = false;
  /// Part of the MV2 input list (the BDT baseline); the JetFitter c-tagging variables and
  /// the missing flags are DL1 additions.
  bool mv2Input = true;
};

/// The DL1 input variables in file order.
const std::vector<JetVariable>& jetVariables();
/// Index of a variable by name; throws InputError for an unknown name.
std::size_t jetVariableIndex(const std::string& name);
/// The name of the flag variable saying that `algorithm`'s variables are missing ("" for
/// kinematics and flags themselves).
std::string missingFlagFor(const std::string& algorithm);

/// Jets in row-major order: features[i * variables + v].
struct JetSample {
  std::size_t variables = 0;
  std::vector<float> features;
  std::vector<int> labels;  ///< Flavour as int

  std::size_t size() const { return labels.size(); }
  const float* row(std::size_t i) const { return features.data() + i * variables; }
  float* row(std::size_t i) { return features.data() + i * variables; }
  /// Jets of each flavour.
  std::vector<std::size_t> flavourCounts() const;
};

struct JetSplits {
  JetSample train, validation, test;
};

}  // namespace bolo
