#include "ftag/JetSample.hpp"

#include <fmt/format.h>

#include "common/Error.hpp"

namespace bolo {

std::string flavourName(int flavour) {
  switch (flavour) {
    case 0:
      return "b";
    case 1:
      return "c";
    case 2:
      return "light";
    default:
      throw InputError(fmt::format("unknown flavour label {} (valid: 0=b, 1=c, 2=light)", flavour));
  }
}

const std::vector<JetVariable>& jetVariables() {
  // Defaults follow the ATLAS convention of impossible values: -1 for masses, fractions,
  // counts and angles, -100 for lengths and significances, -99 for likelihood ratios.
  static const std::vector<JetVariable> variables = {
      {"pt", "kinematics", 0, true, true},
      {"abs_eta", "kinematics", 0, false, true},
      {"ip2d_llr_bu", "ip2d", -99, false, true},
      {"ip2d_llr_bc", "ip2d", -99, false, true},
      {"ip2d_llr_cu", "ip2d", -99, false, true},
      {"ip3d_llr_bu", "ip3d", -99, false, true},
      {"ip3d_llr_bc", "ip3d", -99, false, true},
      {"ip3d_llr_cu", "ip3d", -99, false, true},
      {"sv1_mass", "sv1", -1, false, true},
      {"sv1_efrac", "sv1", -1, false, true},
      {"sv1_n2t", "sv1", -1, false, true},
      {"sv1_ntrkv", "sv1", -1, false, true},
      {"sv1_lxy", "sv1", -100, true, true},
      {"sv1_l3d", "sv1", -100, true, true},
      {"sv1_sig3d", "sv1", -100, true, true},
      {"sv1_deltar", "sv1", -1, false, true},
      {"jf_mass", "jf", -1, false, true},
      {"jf_efrac", "jf", -1, false, true},
      {"jf_deltar", "jf", -1, false, true},
      {"jf_nvtx", "jf", -1, false, true},
      {"jf_nvtx1t", "jf", -1, false, true},
      {"jf_ntrkatvx", "jf", -1, false, true},
      {"jf_n2tpair", "jf", -1, false, true},
      {"jf_sig3d", "jf", -100, true, true},
      {"jfc_vtx_mass", "jfc", -1, false, false},
      {"jfc_vtx_ntrk", "jfc", -1, false, false},
      {"jfc_vtx_efrac", "jfc", -1, false, false},
      {"jfc_vtx_lxy", "jfc", -100, true, false},
      {"jfc_min_trk_rel_eta", "jfc", -1, false, false},
      {"jfc_avg_trk_rel_eta", "jfc", -1, false, false},
      {"jfc_max_trk_rel_eta", "jfc", -1, false, false},
      {"ip_missing", "flag", 0, false, false},
      {"sv1_missing", "flag", 0, false, false},
      {"jf_missing", "flag", 0, false, false},
      {"jfc_missing", "flag", 0, false, false},
  };
  return variables;
}

std::size_t jetVariableIndex(const std::string& name) {
  const auto& variables = jetVariables();
  for (std::size_t i = 0; i < variables.size(); ++i) {
    if (variables[i].name == name) return i;
  }
  throw InputError(fmt::format("unknown jet variable '{}'", name));
}

std::string missingFlagFor(const std::string& algorithm) {
  if (algorithm == "ip2d" || algorithm == "ip3d") return "ip_missing";
  if (algorithm == "sv1" || algorithm == "jf" || algorithm == "jfc") return algorithm + "_missing";
  return {};
}

std::vector<std::size_t> JetSample::flavourCounts() const {
  std::vector<std::size_t> counts(kFlavourCount, 0);
  for (int label : labels) {
    if (label >= 0 && label < kFlavourCount) ++counts[static_cast<std::size_t>(label)];
  }
  return counts;
}

}  // namespace bolo
