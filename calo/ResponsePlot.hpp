#pragma once
// Response and resolution versus incident energy: at every incident-energy point the mean
// and the rms of E_tot / E_inc, generated against reference, with the ratios GAN / reference.
// The figure physicists look at first (bolo bestiter, bolo evaluate, bolo bench quality);
// docs/evaluation.md defines the numbers.

#include <cstddef>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace bolo {

/// E_tot / E_inc of the showers at one incident-energy point.
struct ResponseStats {
  double energyMeV = 0;
  std::size_t showers = 0;
  double mean = 0;  ///< mean of E_tot / E_inc (NaN without showers)
  /// rms about the mean, sqrt(sum (r - mean)^2 / n) (ROOT's GetRMS; NaN without showers)
  double rms = 0;
  /// rms of the narrowest window holding 90 % of the showers (NaN without showers): the
  /// resolution of the core. The rms is dominated by rare far tails (0.2-0.5 % of high-energy
  /// pions deposit under 60 % of the median), rms90 is not.
  double rms90 = 0;
};

/// The response of the showers at one point: `totals` are E_tot in MeV.
ResponseStats responseAtEnergy(double energyMeV, const std::vector<double>& totals);

/// The response at every discrete incident energy of `energies` (ascending; values within a
/// relative 1e-6 count as one point, as in core/Chi2EnergyPoints.hpp). `totals[i]` is E_tot
/// (MeV) of the shower with incident energy `energies[i]`. InputError if sizes differ;
/// an empty list if the energies are continuous (more than 100 distinct values).
std::vector<ResponseStats> responseByEnergy(const std::vector<double>& energies,
                                            const std::vector<double>& totals);

/// One energy point, GAN against reference.
struct ResponsePoint {
  double energyMeV = 0;
  ResponseStats reference;
  ResponseStats generated;  ///< showers 0 (mean, rms NaN) where the GAN has none at this point
  double meanRatio = 0;     ///< generated.mean / reference.mean (NaN if undefined)
  double rmsRatio = 0;      ///< generated.rms / reference.rms (NaN if undefined)
  double rms90Ratio = 0;    ///< generated.rms90 / reference.rms90 (NaN if undefined)
};

/// Pair every reference point with the generated point of the same energy (relative 1e-6);
/// generated points without a reference point are left out.
std::vector<ResponsePoint> compareResponse(const std::vector<ResponseStats>& reference,
                                           const std::vector<ResponseStats>& generated);

/// [{energy_mev, reference: {showers, mean, rms, rms90}, generated: {...}, mean_ratio,
/// rms_ratio, rms90_ratio}], NaN as null.
nlohmann::json toJson(const std::vector<ResponsePoint>& points);

/// The figure (core/GnuplotFigure.hpp, `stem`.png/.pdf/.svg with script and data): mean
/// response (top) and rms (middle) versus E_inc in GeV on a log axis, reference in black and
/// GAN in red, and a ratio panel GAN / reference for both (bottom). Returns the images
/// written (none where gnuplot is missing or no point has generated showers).
std::vector<std::filesystem::path> plotResponse(
    const std::vector<ResponsePoint>& points, const std::filesystem::path& stem,
    const std::string& title, const std::vector<std::string>& formats = {"png", "pdf", "svg"});

}  // namespace bolo
