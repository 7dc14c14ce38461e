#include "calo/ShowerSimulator.hpp"

#include <algorithm>
#include <chrono>
#include <future>
#include <thread>

#include "calo/EmShowerModel.hpp"
#include "calo/HadronShowerModel.hpp"
#include "common/Progress.hpp"
#include "common/Rng.hpp"
#include "common/StopSignal.hpp"

namespace bolo {

namespace {

constexpr std::size_t kBlockRows = 2000;  // showers per write; about 4 MB of pion voxels

double secondsSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

/// Maps a row of the file to its (energy index, shower index).
struct RowPlan {
  std::vector<std::uint64_t> firstRow;  // first row of each energy, plus the total at the end

  explicit RowPlan(const SimulationConfig& config) {
    firstRow.push_back(0);
    for (std::size_t i = 0; i < config.energiesMeV.size(); ++i)
      firstRow.push_back(firstRow.back() + static_cast<std::uint64_t>(config.eventsAt(i)));
  }
  std::size_t energyIndexOf(std::uint64_t row) const {
    return static_cast<std::size_t>(std::upper_bound(firstRow.begin(), firstRow.end(), row) -
                                    firstRow.begin()) -
           1;
  }
};

}  // namespace

ShowerSimulator::ShowerSimulator(Particle particle, ShowerGeometry geometry)
    : m_particle(particle), m_geometry(std::move(geometry)) {}

void ShowerSimulator::simulateShower(double energyMeV, std::uint64_t seed,
                                     VoxelDepositor& depositor, float* row) const {
  ShowerRng rng(seed);
  depositor.clear();
  if (m_particle == Particle::kPhotons)
    EmShowerModel{}.simulate(energyMeV, rng, depositor);
  else
    HadronShowerModel{}.simulate(energyMeV, rng, depositor);
  depositor.write(row);
}

ShowerBatch ShowerSimulator::simulateRows(const SimulationConfig& config, std::uint64_t firstRow,
                                          std::size_t count, int threads) const {
  const RowPlan plan(config);
  ShowerBatch batch;
  batch.voxels = m_geometry.voxelCount();
  batch.incidentEnergies.resize(count);
  batch.showers.assign(count * batch.voxels, 0.0f);
  auto work = [&](std::size_t begin, std::size_t end) {
    VoxelDepositor depositor(m_geometry);
    for (std::size_t i = begin; i < end; ++i) {
      const std::uint64_t row = firstRow + i;
      const std::size_t energyIndex = plan.energyIndexOf(row);
      const double energy = config.energiesMeV[energyIndex];
      batch.incidentEnergies[i] = energy;
      simulateShower(energy, showerSeed(config.seed, energyIndex, row - plan.firstRow[energyIndex]),
                     depositor, batch.row(i));
    }
  };
  const auto n = static_cast<std::size_t>(std::clamp(threads, 1, 256));
  if (n == 1 || count < 2) {
    work(0, count);
    return batch;
  }
  std::vector<std::thread> pool;
  for (std::size_t t = 1; t < n; ++t) pool.emplace_back(work, count * t / n, count * (t + 1) / n);
  work(0, count / n);
  for (auto& thread : pool) thread.join();
  return batch;
}

SimulationTiming simulateToFile(const ShowerSimulator& simulator, const SimulationConfig& config,
                                const std::filesystem::path& output, int threads) {
  validateSimulationConfig(config);
  const auto start = std::chrono::steady_clock::now();
  ShowerWriterOptions options;
  options.chunkRows = static_cast<std::size_t>(config.chunkRows);
  options.gzipLevel = config.gzipLevel;
  ShowerFileWriter writer(output, simulator.geometry().voxelCount(), options);
  SimulationTiming timing;
  const std::uint64_t total = config.totalEvents();
  ProgressReporter progress("simulate " + particleName(simulator.particle()), total, "showers");
  std::future<void> pending;  // the previous block being written while the next is simulated
  for (std::uint64_t first = 0; first < total; first += kBlockRows) {
    if (stopRequested()) {
      if (pending.valid()) pending.wait();
      throw stopError("nothing (the partial shower file was removed)");
    }
    const auto count = static_cast<std::size_t>(std::min<std::uint64_t>(kBlockRows, total - first));
    const auto simulateStart = std::chrono::steady_clock::now();
    auto batch =
        std::make_shared<ShowerBatch>(simulator.simulateRows(config, first, count, threads));
    timing.simulateSeconds += secondsSince(simulateStart);
    const auto waitStart = std::chrono::steady_clock::now();
    if (pending.valid()) pending.get();
    timing.writeWaitSeconds += secondsSince(waitStart);
    pending = std::async(std::launch::async, [&writer, batch] { writer.append(*batch); });
    progress.update(first + count);
  }
  const auto waitStart = std::chrono::steady_clock::now();
  if (pending.valid()) pending.get();
  writer.close();
  timing.writeWaitSeconds += secondsSince(waitStart);
  progress.finish();
  timing.events = total;
  timing.seconds = secondsSince(start);
  return timing;
}

}  // namespace bolo
