#include "calo/nn/BestIteration.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>

#include "calo/Chi2EnergyPoints.hpp"
#include "calo/ShowerPreprocessing.hpp"
#include "calo/nn/GanShowerGenerator.hpp"
#include "common/Chi2Test.hpp"
#include "common/Error.hpp"
#include "common/Histogram.hpp"

namespace bolo::nn {

namespace fs = std::filesystem;

ReferenceSample referenceFromBatch(const ShowerBatch& batch, const ShowerGeometry& geometry) {
  if (batch.voxels != geometry.voxelCount()) {
    throw InputError(fmt::format("reference has {} voxels but the geometry {} has {}", batch.voxels,
                                 geometry.source(), geometry.voxelCount()));
  }
  if (batch.size() == 0) throw InputError("the reference file holds no showers");
  ReferenceSample sample;
  sample.voxels = batch.voxels;
  for (const auto& layer : geometry.layers()) {
    sample.layerVoxels.emplace_back(layer.firstVoxel, layer.endVoxel());
    sample.layerIds.push_back(layer.id);
  }
  const auto points = distinctEnergies(batch.incidentEnergies);
  if (points.size() > 100) {
    throw InputError(fmt::format(
        "the reference has {} distinct incident energies: best-iteration selection needs "
        "discrete energy points",
        points.size()));
  }
  std::map<double, std::size_t> index;
  for (const auto& p : points) {
    index[p.energyMeV] = sample.points.size();
    ReferencePoint point;
    point.energyMeV = p.energyMeV;
    point.layers.resize(sample.layerVoxels.size());
    sample.points.push_back(std::move(point));
  }
  for (std::size_t i = 0; i < batch.size(); ++i) {
    auto& point = sample.points[index.at(batch.incidentEnergies[i])];
    const float* row = batch.row(i);
    double total = 0;
    for (std::size_t l = 0; l < sample.layerVoxels.size(); ++l) {
      double sum = 0;
      for (std::size_t v = sample.layerVoxels[l].first; v < sample.layerVoxels[l].second; ++v) {
        if (!std::isfinite(row[v]) || row[v] < 0) {
          throw InputError(
              fmt::format("reference shower {} voxel {}: invalid energy {}", i, v, row[v]));
        }
        sum += row[v];
      }
      point.layers[l].push_back(sum);
      total += sum;
    }
    point.total.push_back(total);
  }
  return sample;
}

ReferenceSample loadReference(const fs::path& file, const ShowerGeometry& geometry) {
  const ShowerFileReader reader(file);
  if (reader.events() == 0)
    throw InputError(fmt::format("{}: the reference file holds no showers", file.string()));
  if (reader.voxels() != geometry.voxelCount()) {
    throw InputError(fmt::format("{}: {} voxels, but the geometry {} has {}", file.string(),
                                 reader.voxels(), geometry.source(), geometry.voxelCount()));
  }
  return referenceFromBatch(reader.readAll(), geometry);
}

PointScore comparePoint(const std::vector<double>& reference, const std::vector<double>& generated,
                        const BestIterSettings& settings) {
  if (reference.empty() || generated.empty())
    throw InputError("chi2 needs showers in both samples");
  for (double v : generated) {
    if (!std::isfinite(v)) throw RuntimeFailure("a generated shower has a non-finite energy");
  }
  // The binning of `bolo evaluate`'s chi2 over energy points; showers outside the range
  // count in the edge bins, so every shower takes part in the test.
  const EnergyPointBinning binning{settings.bins, settings.tailFraction, true};
  auto [ref, gen] = histogramPoint(reference, generated, binning);
  const auto result = chi2Test(ref, gen);
  PointScore score;
  score.chi2 = result.chi2;
  score.ndf = result.ndf;
  score.edges = ref.edges();
  score.reference = ref.contents();
  gen.scale(static_cast<double>(reference.size()) / static_cast<double>(generated.size()));
  score.generated = gen.contents();
  return score;
}

CheckpointScore scoreCheckpoint(const CheckpointInfo& checkpoint, const ReferenceSample& reference,
                                const BestIterSettings& settings, const std::string& device,
                                bool keepHistograms) {
  GanShowerGenerator generator(checkpoint, device);
  if (generator.voxels() != reference.voxels) {
    throw InputError(fmt::format("{}: {} voxels, but the reference has {}",
                                 checkpoint.sidecar.string(), generator.voxels(),
                                 reference.voxels));
  }
  CheckpointScore score;
  score.gan = generator.ganName();
  score.iteration = checkpoint.iteration;
  score.checkpoint = checkpoint.archive.string();
  score.crc32 = checkpoint.meta.value("crc32", 0u);
  std::vector<std::pair<std::size_t, std::size_t>> ranges{{0, reference.voxels}};
  if (settings.layerEnergies)
    ranges.insert(ranges.end(), reference.layerVoxels.begin(), reference.layerVoxels.end());
  for (std::size_t p = 0; p < reference.points.size(); ++p) {
    const auto& point = reference.points[p];
    if (!(point.energyMeV > generator.energyLoMeV() && point.energyMeV <= generator.energyHiMeV()))
      continue;
    std::vector<std::vector<double>> values(ranges.size());
    for (std::size_t done = 0; done < settings.showersPerEnergy; done += settings.batch) {
      const std::size_t n = std::min(settings.batch, settings.showersPerEnergy - done);
      const std::vector<double> energies(n, point.energyMeV);
      // The same latent numbers for every checkpoint (common random numbers): differences
      // between checkpoints are not blurred by sampling noise.
      const auto sums =
          generator.generateSums(energies, settings.seed + 7919ULL * p + done, ranges);
      for (std::size_t i = 0; i < n; ++i) {
        for (std::size_t r = 0; r < ranges.size(); ++r)
          values[r].push_back(sums[i * ranges.size() + r]);
      }
    }
    for (std::size_t r = 0; r < ranges.size(); ++r) {
      const auto& ref = r == 0 ? point.total : point.layers[r - 1];
      auto ps = comparePoint(ref, values[r], settings);
      ps.energyMeV = point.energyMeV;
      ps.observable = r == 0 ? "total" : fmt::format("layer_{}", reference.layerIds[r - 1]);
      score.chi2 += ps.chi2;
      score.ndf += ps.ndf;
      if (keepHistograms) {
        if (r == 0) ps.values = std::move(values[r]);
      } else {
        ps.edges.clear();
        ps.reference.clear();
        ps.generated.clear();
      }
      score.points.push_back(std::move(ps));
    }
  }
  if (score.points.empty()) {
    throw InputError(
        fmt::format("{}: no reference energy point lies in this GAN's range ({}, {}] MeV",
                    checkpoint.sidecar.string(), generator.energyLoMeV(), generator.energyHiMeV()));
  }
  return score;
}

std::vector<ResponsePoint> responseOf(const std::vector<CheckpointScore>& scores,
                                      const ReferenceSample& reference) {
  std::vector<ResponseStats> ref, gen;
  for (const auto& s : scores) {
    for (const auto& p : s.points) {
      if (p.observable != "total") continue;
      if (p.values.empty())
        throw RuntimeFailure("response: the checkpoint was scored without keeping its showers");
      gen.push_back(responseAtEnergy(p.energyMeV, p.values));
      const auto it =
          std::find_if(reference.points.begin(), reference.points.end(),
                       [&](const ReferencePoint& r) { return r.energyMeV == p.energyMeV; });
      if (it != reference.points.end()) ref.push_back(responseAtEnergy(it->energyMeV, it->total));
    }
  }
  return compareResponse(ref, gen);
}

nlohmann::json toJson(const CheckpointScore& s, bool withHistograms) {
  nlohmann::json points = nlohmann::json::array();
  for (const auto& p : s.points) {
    nlohmann::json j = {{"energy_mev", p.energyMeV},
                        {"observable", p.observable},
                        {"chi2", p.chi2},
                        {"ndf", p.ndf},
                        {"chi2_ndf", p.ndf > 0 ? p.chi2 / p.ndf : 0.0}};
    if (withHistograms) {
      j["edges"] = p.edges;
      j["reference"] = p.reference;
      j["generated"] = p.generated;
    }
    points.push_back(j);
  }
  return {{"gan", s.gan},
          {"iteration", s.iteration},
          {"checkpoint", s.checkpoint},
          {"crc32", s.crc32},
          {"chi2", s.chi2},
          {"ndf", s.ndf},
          {"chi2_ndf", s.chi2PerNdf()},
          {"points", points}};
}

CheckpointScore checkpointScoreFromJson(const nlohmann::json& j) {
  CheckpointScore s;
  s.gan = j.at("gan").get<std::string>();
  s.iteration = j.at("iteration").get<long long>();
  s.checkpoint = j.at("checkpoint").get<std::string>();
  s.crc32 = j.at("crc32").get<std::uint32_t>();
  s.chi2 = j.at("chi2").get<double>();
  s.ndf = j.at("ndf").get<int>();
  for (const auto& p : j.at("points")) {
    PointScore ps;
    ps.energyMeV = p.at("energy_mev").get<double>();
    ps.observable = p.at("observable").get<std::string>();
    ps.chi2 = p.at("chi2").get<double>();
    ps.ndf = p.at("ndf").get<int>();
    s.points.push_back(ps);
  }
  return s;
}

}  // namespace bolo::nn
