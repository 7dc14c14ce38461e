#pragma once
// Scoring GAN checkpoints against a reference (bolo bestiter), torch-free header. For each
// checkpoint and each reference incident-energy point in the GAN's slice, N showers are
// generated and the histogram of their total deposited energy (and optionally of each layer's
// energy) is compared with the reference's by the two-sample chi2 test; chi2/NDF per point
// and combined (sum chi2 / sum NDF) over points. The definition is in docs/bestiter.md.

#include <cstddef>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "calo/ResponsePlot.hpp"
#include "calo/ShowerFile.hpp"
#include "calo/ShowerGeometry.hpp"
#include "calo/TrainingConfig.hpp"
#include "calo/nn/Checkpoint.hpp"

namespace bolo::nn {

using BestIterSettings = BestIterConfig;

/// The reference showers reduced to what the chi2 needs: per energy point, the total energy
/// and the per-layer energies of every shower (MeV).
struct ReferencePoint {
  double energyMeV = 0;
  std::vector<double> total;
  std::vector<std::vector<double>> layers;  ///< [layer][shower]
};
struct ReferenceSample {
  std::vector<ReferencePoint> points;                            ///< ascending energy
  std::vector<std::pair<std::size_t, std::size_t>> layerVoxels;  ///< [first, end) per layer
  std::vector<int> layerIds;                                     ///< CaloChallenge layer ids
  std::size_t voxels = 0;
};

/// Read a reference file against `geometry`: InputError if voxel counts differ, the file is
/// empty, holds NaN/inf/negative values, or has no discrete energy points.
ReferenceSample loadReference(const std::filesystem::path& file, const ShowerGeometry& geometry);
/// The reference sample of showers already in memory (same checks).
ReferenceSample referenceFromBatch(const ShowerBatch& batch, const ShowerGeometry& geometry);

/// One observable at one energy point.
struct PointScore {
  double energyMeV = 0;
  std::string observable;  ///< "total" or "layer_<id>"
  double chi2 = 0;
  int ndf = 0;
  std::vector<double> edges, reference,
      generated;               ///< histograms (generated scaled to the reference count)
  std::vector<double> values;  ///< "total": the generated E_tot (MeV), kept with histograms
};

struct CheckpointScore {
  std::string gan;
  long long iteration = 0;
  std::string checkpoint;  ///< archive path
  std::uint32_t crc32 = 0;
  double chi2 = 0;
  int ndf = 0;
  double chi2PerNdf() const { return ndf > 0 ? chi2 / ndf : 0.0; }
  std::vector<PointScore> points;
};

/// Score one checkpoint on the reference points inside its energy slice. `keepHistograms`
/// keeps the bin contents and the generated total energies (for plots and responseOf()).
/// Deterministic for fixed settings.
CheckpointScore scoreCheckpoint(const CheckpointInfo& checkpoint, const ReferenceSample& reference,
                                const BestIterSettings& settings, const std::string& device,
                                bool keepHistograms);

/// The two-sample chi2 of one observable at one energy point, binned and tested exactly as
/// `bolo evaluate` does (calo/Chi2EnergyPoints.hpp histogramPoint, common/Chi2Test.hpp chi2Test).
PointScore comparePoint(const std::vector<double>& reference, const std::vector<double>& generated,
                        const BestIterSettings& settings);

/// Response and resolution of checkpoints scored with `keepHistograms` (several GANs of one
/// particle together, e.g. photons' low and high): at every reference energy point the
/// GANs cover, mean and rms of E_tot/E_inc of the reference and of the generated showers.
std::vector<ResponsePoint> responseOf(const std::vector<CheckpointScore>& scores,
                                      const ReferenceSample& reference);

nlohmann::json toJson(const CheckpointScore& score, bool withHistograms = false);
CheckpointScore checkpointScoreFromJson(const nlohmann::json& json);

}  // namespace bolo::nn
