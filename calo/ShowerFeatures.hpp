#pragma once
// The CaloChallenge high-level features of calorimeter showers, one value per shower:
//   E_total / E_inc; per layer the deposited energy and the sparsity (fraction of voxels at
//   or below a threshold); per layer binned in alpha, the centre of energy and the width in
//   the eta direction (x = r cos alpha) and in the phi direction (y = r sin alpha), with
//   (r, alpha) the voxel centre. Definitions follow the CaloChallenge evaluation code
//   (HighLevelFeatures.py); docs/evaluation.md spells them out.

#include <cstddef>
#include <functional>
#include <string>
#include <vector>

#include "calo/ShowerFile.hpp"
#include "calo/ShowerGeometry.hpp"

namespace bolo {

enum class FeatureKind {
  kResponse,     ///< E_total / E_inc
  kLayerEnergy,  ///< MeV
  kCentreEta,    ///< mm
  kCentrePhi,    ///< mm
  kWidthEta,     ///< mm
  kWidthPhi,     ///< mm
  kSparsity,     ///< fraction of voxels with energy <= threshold
};

/// One feature over all showers.
struct FeatureColumn {
  FeatureKind kind = FeatureKind::kResponse;
  int layerId = -1;            ///< CaloChallenge layer id, -1 for whole-shower features
  std::string name;            ///< e.g. "energy_layer_12": file names and JSON keys
  std::string title;           ///< e.g. "Energy in layer 12": plot titles
  std::string unit;            ///< "MeV", "mm" or "" (dimensionless)
  std::vector<double> values;  ///< one per shower
};

struct ShowerFeatures {
  std::vector<double> incidentEnergies;  ///< MeV, one per shower
  std::vector<FeatureColumn> columns;    ///< in a fixed order given by the geometry

  std::size_t showers() const { return incidentEnergies.size(); }
  /// The column with `name`; InputError if absent.
  const FeatureColumn& column(const std::string& name) const;
};

/// Computes features shower by shower for one geometry.
class ShowerFeatureCalculator {
 public:
  /// Voxels with energy <= `sparsityThreshold` (MeV) count as empty.
  explicit ShowerFeatureCalculator(const ShowerGeometry& geometry, double sparsityThreshold = 0.0);

  /// Empty columns, named and ordered, ready to be appended to.
  ShowerFeatures emptyFeatures() const;
  /// Append the features of every shower in `batch` (voxel count must match the geometry).
  void append(const ShowerBatch& batch, ShowerFeatures& features) const;
  /// All showers of a file, read in chunks of `chunkRows`; `visit` (optional) also sees
  /// each chunk, e.g. to keep some showers for the classifier. InputError if the file's voxel
  /// count differs from the geometry or it holds no shower.
  ShowerFeatures compute(
      const ShowerFileReader& reader, std::size_t chunkRows,
      const std::function<void(const ShowerBatch&, std::size_t first)>& visit = {}) const;

  const ShowerGeometry& geometry() const { return m_geometry; }

 private:
  ShowerGeometry m_geometry;
  double m_threshold;
  std::vector<double> m_x;  ///< r cos(alpha) of every voxel centre, mm
  std::vector<double> m_y;  ///< r sin(alpha) of every voxel centre, mm
};

/// Readable name of a kind ("response", "layer energy", ...).
std::string featureKindName(FeatureKind kind);

}  // namespace bolo
