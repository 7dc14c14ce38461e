#pragma once
// Showers from trained GAN checkpoints (torch-free header). One generator per checkpoint;
// a GanEnsemble dispatches each incident energy to the checkpoint whose energy range holds it
// (photons: the low and high GANs).

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "calo/OnnxGraph.hpp"
#include "calo/ShowerFile.hpp"
#include "calo/TrainingConfig.hpp"
#include "calo/nn/Checkpoint.hpp"

namespace bolo::nn {

class GanShowerGenerator {
 public:
  /// Load the generator of `checkpoint` onto `device` ("cpu", "cuda:N").
  GanShowerGenerator(const CheckpointInfo& checkpoint, const std::string& device);
  /// A generator with freshly initialised weights (benchmarks: speed does not depend on
  /// them), conditioned on energies in [loMeV, hiMeV].
  static GanShowerGenerator untrained(const GanConfig& config, int voxels,
                                      const std::vector<int64_t>& layerVoxels, double loMeV,
                                      double hiMeV, const std::string& device,
                                      unsigned long long seed);
  ~GanShowerGenerator();
  GanShowerGenerator(GanShowerGenerator&&) noexcept;
  GanShowerGenerator& operator=(GanShowerGenerator&&) noexcept;

  /// One shower per incident energy (MeV), appended to `out` (whose voxels must match).
  /// The latent numbers come from a private generator seeded by `seed`, so a given seed and
  /// energy list give the same showers.
  void generate(const std::vector<double>& energies, unsigned long long seed, ShowerBatch& out);

  /// Sums of voxel ranges ([first, end) pairs) of one generated shower per energy, without
  /// keeping the showers: row i holds the sums of shower i (n x ranges.size(), MeV).
  std::vector<double> generateSums(const std::vector<double>& energies, unsigned long long seed,
                                   const std::vector<std::pair<std::size_t, std::size_t>>& ranges);

  /// The latent numbers generate() and generateSums() draw for `n` showers with `seed`
  /// (n x latent, row-major): a test or an export check can feed them to another engine.
  std::vector<float> latentNumbers(std::size_t n, unsigned long long seed) const;
  /// The N(0,1) voxel noise they draw for `n` showers with `seed` when the generator has shape
  /// noise (n x voxels, row-major; empty without): the exported model's third input.
  std::vector<float> voxelNoise(std::size_t n, unsigned long long seed) const;
  /// The network generate() runs (with the EMA weights when the checkpoint kept them) and its
  /// preprocessing, as plain numbers: what `bolo export` turns into ONNX.
  GeneratorNetwork network() const;

  std::size_t voxels() const;
  long long iteration() const;
  const GanConfig& config() const;
  /// The checkpoint loaded (empty for untrained()).
  const CheckpointInfo& checkpoint() const;
  double energyLoMeV() const;  ///< slice lo (exclusive)
  double energyHiMeV() const;  ///< slice hi (inclusive)
  const std::string& ganName() const;
  const std::string& particle() const;

 private:
  struct Impl;
  explicit GanShowerGenerator(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> m_impl;
};

/// Several GANs covering disjoint energy slices of one particle.
class GanEnsemble {
 public:
  GanEnsemble(const std::vector<CheckpointInfo>& checkpoints, const std::string& device);
  /// Showers for `energies` (MeV) in the given order; InputError if an energy is outside
  /// every GAN's range. Generation runs in batches of `batchSize`.
  ShowerBatch generate(const std::vector<double>& energies, unsigned long long seed,
                       std::size_t batchSize = 10000);
  std::size_t voxels() const;
  const std::string& particle() const;
  std::vector<GanShowerGenerator>& members() { return m_members; }

 private:
  std::vector<GanShowerGenerator> m_members;
};

}  // namespace bolo::nn
