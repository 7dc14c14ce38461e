#include "calo/ShowerFeatures.hpp"

#include <fmt/format.h>

#include <cmath>

#include "calo/ShowerSummary.hpp"
#include "common/Error.hpp"
#include "common/StopSignal.hpp"

namespace bolo {

namespace {

/// Guards the divisions by a layer's energy, as the CaloChallenge code does (1e-16).
constexpr double kEnergyGuard = 1e-16;

}  // namespace

std::string featureKindName(FeatureKind kind) {
  switch (kind) {
    case FeatureKind::kResponse:
      return "response";
    case FeatureKind::kLayerEnergy:
      return "layer energy";
    case FeatureKind::kCentreEta:
      return "centre of energy in eta";
    case FeatureKind::kCentrePhi:
      return "centre of energy in phi";
    case FeatureKind::kWidthEta:
      return "width in eta";
    case FeatureKind::kWidthPhi:
      return "width in phi";
    case FeatureKind::kSparsity:
      return "sparsity";
  }
  return "unknown";
}

const FeatureColumn& ShowerFeatures::column(const std::string& name) const {
  for (const auto& c : columns) {
    if (c.name == name) return c;
  }
  throw InputError(fmt::format("no shower feature named '{}'", name));
}

ShowerFeatureCalculator::ShowerFeatureCalculator(const ShowerGeometry& geometry,
                                                 double sparsityThreshold)
    : m_geometry(geometry), m_threshold(sparsityThreshold) {
  auto positions = geometry.voxelPositions();
  m_x = std::move(positions.x);
  m_y = std::move(positions.y);
}

ShowerFeatures ShowerFeatureCalculator::emptyFeatures() const {
  ShowerFeatures f;
  f.columns.push_back({FeatureKind::kResponse, -1, "etot_over_einc", "E_total / E_inc", "", {}});
  for (const auto& layer : m_geometry.layers()) {
    f.columns.push_back({FeatureKind::kLayerEnergy,
                         layer.id,
                         fmt::format("energy_layer_{}", layer.id),
                         fmt::format("Energy in layer {}", layer.id),
                         "MeV",
                         {}});
  }
  for (const auto& layer : m_geometry.layers()) {
    if (layer.alphaBins < 2) continue;  // no eta/phi information in a single alpha bin
    const int id = layer.id;
    f.columns.push_back({FeatureKind::kCentreEta,
                         id,
                         fmt::format("centre_eta_layer_{}", id),
                         fmt::format("Centre of energy in eta, layer {}", id),
                         "mm",
                         {}});
    f.columns.push_back({FeatureKind::kCentrePhi,
                         id,
                         fmt::format("centre_phi_layer_{}", id),
                         fmt::format("Centre of energy in phi, layer {}", id),
                         "mm",
                         {}});
    f.columns.push_back({FeatureKind::kWidthEta,
                         id,
                         fmt::format("width_eta_layer_{}", id),
                         fmt::format("Width in eta, layer {}", id),
                         "mm",
                         {}});
    f.columns.push_back({FeatureKind::kWidthPhi,
                         id,
                         fmt::format("width_phi_layer_{}", id),
                         fmt::format("Width in phi, layer {}", id),
                         "mm",
                         {}});
  }
  for (const auto& layer : m_geometry.layers()) {
    f.columns.push_back({FeatureKind::kSparsity,
                         layer.id,
                         fmt::format("sparsity_layer_{}", layer.id),
                         fmt::format("Sparsity of layer {}", layer.id),
                         "",
                         {}});
  }
  return f;
}

void ShowerFeatureCalculator::append(const ShowerBatch& batch, ShowerFeatures& features) const {
  if (batch.voxels != m_geometry.voxelCount()) {
    throw InputError(fmt::format("showers have {} voxels but geometry {} has {}", batch.voxels,
                                 m_geometry.source(), m_geometry.voxelCount()));
  }
  const auto& layers = m_geometry.layers();
  // Column order as in emptyFeatures(): response, energies, eta/phi blocks, sparsities.
  const std::size_t energyColumn = 1;
  std::size_t alphaColumn = energyColumn + layers.size();
  std::size_t alphaLayers = 0;
  for (const auto& layer : layers) alphaLayers += layer.alphaBins > 1 ? 1 : 0;
  const std::size_t sparsityColumn = alphaColumn + 4 * alphaLayers;
  for (auto& c : features.columns) c.values.reserve(c.values.size() + batch.size());

  for (std::size_t i = 0; i < batch.size(); ++i) {
    const float* row = batch.row(i);
    double total = 0;
    std::size_t alphaIndex = 0;
    for (std::size_t l = 0; l < layers.size(); ++l) {
      const auto& layer = layers[l];
      double energy = 0, sumX = 0, sumY = 0, sumXX = 0, sumYY = 0;
      std::size_t filled = 0;
      for (std::size_t v = layer.firstVoxel; v < layer.endVoxel(); ++v) {
        const double e = row[v];
        energy += e;
        sumX += m_x[v] * e;
        sumY += m_y[v] * e;
        sumXX += m_x[v] * m_x[v] * e;
        sumYY += m_y[v] * m_y[v] * e;
        if (e > m_threshold) ++filled;
      }
      total += energy;
      features.columns[energyColumn + l].values.push_back(energy);
      features.columns[sparsityColumn + l].values.push_back(
          1.0 - static_cast<double>(filled) / static_cast<double>(layer.voxelCount()));
      if (layer.alphaBins > 1) {
        const double norm = energy + kEnergyGuard;
        const double cx = sumX / norm, cy = sumY / norm;
        const std::size_t c = alphaColumn + 4 * alphaIndex++;
        features.columns[c].values.push_back(cx);
        features.columns[c + 1].values.push_back(cy);
        features.columns[c + 2].values.push_back(std::sqrt(std::max(0.0, sumXX / norm - cx * cx)));
        features.columns[c + 3].values.push_back(std::sqrt(std::max(0.0, sumYY / norm - cy * cy)));
      }
    }
    features.columns[0].values.push_back(total / batch.incidentEnergies[i]);
    features.incidentEnergies.push_back(batch.incidentEnergies[i]);
  }
}

ShowerFeatures ShowerFeatureCalculator::compute(
    const ShowerFileReader& reader, std::size_t chunkRows,
    const std::function<void(const ShowerBatch&, std::size_t)>& visit) const {
  checkVoxelCount(reader, m_geometry);
  if (reader.events() == 0)
    throw InputError(fmt::format("{}: file holds no showers", reader.path().string()));
  ShowerFeatures features = emptyFeatures();
  reader.forEachChunk(chunkRows, [&](const ShowerBatch& chunk, std::size_t first) {
    if (stopRequested()) throw stopError("nothing (evaluation has no state to save)");
    append(chunk, features);
    if (visit) visit(chunk, first);
  });
  return features;
}

}  // namespace bolo
