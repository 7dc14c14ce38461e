#pragma once
// `bolo generate`: showers from a run's GAN checkpoints (by default those marked best by
// `bolo bestiter`, else the latest of each GAN), written as a CaloChallenge HDF5 file and
// validated against the geometry.

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace bolo::nn {

struct GenerationRequest {
  std::string particle;                  ///< pions or photons
  std::string workdir;                   ///< --workdir (see resolveWorkDir)
  std::vector<std::string> checkpoints;  ///< empty: defaultCheckpoints() of the run
  std::string run;                       ///< empty: the particle
  std::string energies;                  ///< "256,1024" MeV; empty: the 15 dataset-1 points
  std::string energiesLike;              ///< one shower per incident energy of this file
  long long count = 10000;               ///< showers per energy (without energiesLike)
  std::string out;                       ///< empty: <workdir>/output/<run>/generated.h5
  std::string geometry;                  ///< empty: the shipped geometry
  std::string device = "auto";
  int threads = 0;  ///< <= 0: all cores
  int batch = 10000;
  unsigned long long seed = 1;
};

/// Generate, write, validate; returns the summary (file, showers, energies, checkpoints,
/// timing, mean response).
nlohmann::json generateShowers(const GenerationRequest& request);

}  // namespace bolo::nn
