#pragma once
// CaloChallenge binning geometry: layers of (radial x alpha) voxels, read from the binning
// XML (<Bins><Bin pid=..><Layer id=.. r_edges="0,5,.." n_bin_alpha=".."/>).
// Flat voxel order: layer, then alpha bin, then radial bin (radial fastest).

#include <cstddef>
#include <filesystem>
#include <string>
#include <vector>

#include "calo/Particle.hpp"

namespace bolo {

/// Upper limits on what a binning XML may declare (CaloChallenge's largest geometry,
/// dataset 3, has 18 radial x 50 alpha bins per layer and 40,500 voxels in 45 layers). They
/// keep every count and index of a crafted file far inside `int`, and the memory of a batch
/// of showers within reach.
inline constexpr int kMaxRadialBins = 1000;
inline constexpr int kMaxAlphaBins = 1000;
inline constexpr int kMaxLayerId = 999;
inline constexpr std::size_t kMaxVoxels = 1'000'000;

/// One non-empty calorimeter layer.
struct CaloLayer {
  int id = 0;                  ///< CaloChallenge layer id (0-3 EM, 12-14 tile)
  std::vector<double> rEdges;  ///< radial bin edges in mm, starting at 0
  int alphaBins = 1;           ///< uniform bins in [-pi, pi)
  std::size_t firstVoxel = 0;  ///< index of this layer's first voxel in the flat vector

  int radialBins() const { return static_cast<int>(rEdges.size()) - 1; }
  /// Within kMaxVoxels for every layer fromXmlText accepts (it checks the product).
  std::size_t voxelCount() const {
    return static_cast<std::size_t>(radialBins()) * static_cast<std::size_t>(alphaBins);
  }
  std::size_t endVoxel() const { return firstVoxel + voxelCount(); }
};

class ShowerGeometry {
 public:
  /// Parse a binning XML; InputError naming the file and problem if malformed.
  static ShowerGeometry fromXml(const std::filesystem::path& path);
  /// Parse from XML text (`origin` names it in errors).
  static ShowerGeometry fromXmlText(const std::string& text, const std::string& origin);
  /// The shipped dataset-1 geometry of `particle`.
  static ShowerGeometry forParticle(Particle particle);

  int pid() const { return m_pid; }
  const std::string& name() const { return m_name; }
  const std::string& source() const { return m_source; }
  /// Non-empty layers in file order.
  const std::vector<CaloLayer>& layers() const { return m_layers; }
  std::size_t voxelCount() const { return m_voxelCount; }
  /// Voxels of each non-empty layer, in voxel order (what the GANs share energy over).
  std::vector<int64_t> layerVoxelCounts() const {
    std::vector<int64_t> counts;
    for (const auto& l : m_layers) counts.push_back(static_cast<int64_t>(l.voxelCount()));
    return counts;
  }

  /// Flat index of a voxel.
  std::size_t voxelIndex(std::size_t layerIndex, int alphaBin, int radialBin) const;
  /// Position in the layer's (r, alpha) plane of the voxel centre; r in mm, alpha in rad.
  /// Single-alpha-bin layers put the centre at alpha = 0.
  struct VoxelCentre {
    double r;
    double alpha;
  };
  VoxelCentre voxelCentre(std::size_t layerIndex, int alphaBin, int radialBin) const;

  /// The voxel centres in the layer plane, x = r cos(alpha), y = r sin(alpha) in mm, in flat
  /// voxel order (what the CaloChallenge centres and widths of energy are computed from).
  struct VoxelPositions {
    std::vector<double> x, y;
    /// Per layer: more than one angular bin (centres and widths mean something there).
    std::vector<bool> layerHasAngles;
  };
  VoxelPositions voxelPositions() const;

 private:
  int m_pid = 0;
  std::string m_name;
  std::string m_source;
  std::vector<CaloLayer> m_layers;
  std::size_t m_voxelCount = 0;
};

}  // namespace bolo
