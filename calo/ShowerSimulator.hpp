#pragma once
// The reference shower simulator: photons through EmShowerModel, pions through
// HadronShowerModel, written in the CaloChallenge dataset-1 format. Every shower draws from
// its own engine seeded by (seed, energy index, shower index), so the output depends only on
// the config, never on the number of threads.

#include <cstdint>
#include <filesystem>
#include <functional>

#include "calo/Particle.hpp"
#include "calo/ShowerFile.hpp"
#include "calo/ShowerGeometry.hpp"
#include "calo/ShowerModelCommon.hpp"
#include "calo/SimulationConfig.hpp"

namespace bolo {

class ShowerSimulator {
 public:
  ShowerSimulator(Particle particle, ShowerGeometry geometry);

  Particle particle() const { return m_particle; }
  const ShowerGeometry& geometry() const { return m_geometry; }

  /// One shower of `energyMeV` into `row` (geometry().voxelCount() floats). `depositor` is
  /// scratch space made for geometry(); one per thread.
  void simulateShower(double energyMeV, std::uint64_t seed, VoxelDepositor& depositor,
                      float* row) const;

  /// Rows [firstRow, firstRow + count) of the file `config` describes (rows ordered by energy
  /// index, then shower index), simulated on `threads` threads.
  ShowerBatch simulateRows(const SimulationConfig& config, std::uint64_t firstRow,
                           std::size_t count, int threads) const;

 private:
  Particle m_particle;
  ShowerGeometry m_geometry;
};

struct SimulationTiming {
  std::uint64_t events = 0;
  double seconds = 0;           ///< wall time of the whole run
  double simulateSeconds = 0;   ///< wall time spent simulating (all threads busy)
  double writeWaitSeconds = 0;  ///< wall time spent waiting for HDF5 writing to catch up
};

/// Simulate everything `config` asks for and write it to `output` atomically (HDF5 writing
/// overlaps the simulation of the next block). Reports progress on stderr and stops with
/// Interrupted, leaving no file, when a stop signal arrives.
SimulationTiming simulateToFile(const ShowerSimulator& simulator, const SimulationConfig& config,
                                const std::filesystem::path& output, int threads);

}  // namespace bolo
