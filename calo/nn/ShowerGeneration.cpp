#include "calo/nn/ShowerGeneration.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <filesystem>

#include "calo/CaloLayout.hpp"
#include "calo/ShowerFile.hpp"
#include "calo/ShowerGeometry.hpp"
#include "calo/ShowerSummary.hpp"
#include "calo/nn/DefaultCheckpoints.hpp"
#include "calo/nn/GanShowerGenerator.hpp"
#include "common/Error.hpp"
#include "common/Log.hpp"
#include "common/nn/TorchRuntime.hpp"

namespace bolo::nn {

namespace fs = std::filesystem;

nlohmann::json generateShowers(const GenerationRequest& o) {
  const Particle particle = parseParticle(o.particle);
  const WorkDir dir = resolveWorkDir(o.workdir);
  if (o.count <= 0) throw InputError("-n: expected a positive number of showers per energy");
  if (o.batch <= 0) throw InputError("--batch: expected a positive batch size");
  const auto device = resolveDevice(o.device);
  if (o.device == "auto") log::warn("--device auto chose {} ({})", device.device, device.reason);
  const int threads = configureCpuThreads(o.threads).matrix;
  const ShowerGeometry geometry = o.geometry.empty() ? ShowerGeometry::forParticle(particle)
                                                     : ShowerGeometry::fromXml(o.geometry);
  const std::string run = defaultRunName(particle, o.run);

  std::vector<fs::path> paths(o.checkpoints.begin(), o.checkpoints.end());
  std::string source = "--checkpoint";
  if (paths.empty()) paths = defaultCheckpoints(dir, run, particle, &source);
  std::vector<CheckpointInfo> checkpoints;
  for (const auto& p : paths) checkpoints.push_back(resolveCheckpoint(p));
  GanEnsemble ensemble(checkpoints, device.device);
  if (ensemble.particle() != particleName(particle)) {
    throw InputError(fmt::format("the checkpoints are for {}, not {}", ensemble.particle(),
                                 particleName(particle)));
  }
  if (ensemble.voxels() != geometry.voxelCount()) {
    throw InputError(fmt::format("the checkpoints have {} voxels but the geometry {} has {}",
                                 ensemble.voxels(), geometry.source(), geometry.voxelCount()));
  }
  std::vector<std::string> names;
  for (const auto& c : checkpoints) names.push_back(c.archive.string());
  log::info("generating from {} ({})", fmt::join(names, ", "), source);

  std::vector<double> points, energies;
  if (!o.energiesLike.empty()) {
    // The CaloChallenge way: one shower per incident energy of the sample it will be judged
    // against, so both have the same energy spectrum.
    energies = ShowerFileReader(o.energiesLike, false).incidentEnergies();
    if (energies.empty()) throw InputError(o.energiesLike + ": holds no showers");
    for (double e : energies) {
      // As bounded as --energies: what is generated must be writable as float32.
      if (!(e > 0) || !(e <= kMaxIncidentEnergyMeV)) {
        throw InputError(
            fmt::format("{}: incident energy {} is not a positive energy up to {:g} MeV",
                        o.energiesLike, e, kMaxIncidentEnergyMeV));
      }
    }
    points = energies;
    std::sort(points.begin(), points.end());
    points.erase(std::unique(points.begin(), points.end()), points.end());
  } else {
    points = o.energies.empty() ? calochallengeEnergyPoints() : parseEnergyList(o.energies);
    for (double e : points) energies.insert(energies.end(), static_cast<std::size_t>(o.count), e);
  }

  const fs::path outPath =
      o.out.empty() ? runOutputDir(dir, run) / "generated.h5" : fs::path(o.out);
  if (outPath.has_parent_path()) fs::create_directories(outPath.parent_path());
  const auto start = std::chrono::steady_clock::now();
  const ShowerBatch showers =
      ensemble.generate(energies, o.seed, static_cast<std::size_t>(o.batch));
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  writeShowerFile(outPath, showers);

  // Validate what was written: readable, voxel count of the geometry, finite non-negative values.
  const ShowerFileReader reader(outPath);
  const auto summary = summarizeShowers(reader, geometry);

  nlohmann::json result = {
      {"file", outPath.string()},
      {"showers", showers.size()},
      {"energies_mev", points},
      {"per_energy", o.energiesLike.empty() ? nlohmann::json(o.count)
                                            : nlohmann::json("as in " + o.energiesLike)},
      {"checkpoints", nlohmann::json::array()},
      {"checkpoint_source", source},
      {"device", device.device},
      {"threads", threads},
      {"seed", o.seed},
      {"generation_seconds", seconds},
      {"ms_per_shower", 1e3 * seconds / static_cast<double>(showers.size())},
      {"mean_response", summary.meanResponse}};
  for (const auto& c : checkpoints) result["checkpoints"].push_back(c.archive.string());
  log::info("wrote {} showers to {} ({:.4f} ms/shower)", showers.size(), outPath.string(),
            result["ms_per_shower"].get<double>());
  return result;
}

}  // namespace bolo::nn
