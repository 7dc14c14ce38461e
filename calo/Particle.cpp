#include "calo/Particle.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "common/Error.hpp"
#include "common/Version.hpp"

namespace bolo {

Particle parseParticle(const std::string& name) {
  if (name == "pions" || name == "pion") return Particle::kPions;
  if (name == "photons" || name == "photon") return Particle::kPhotons;
  throw InputError(fmt::format("unknown particle '{}': valid particles are {}", name,
                               fmt::join(particleNames(), ", ")));
}

std::string particleName(Particle particle) {
  return particle == Particle::kPions ? "pions" : "photons";
}

std::vector<std::string> particleNames() {
  return {"pions", "photons"};
}

std::string defaultGeometryPath(Particle particle) {
  return fmt::format("{}/geometry/binning_dataset_1_{}.xml", dataDirectory(),
                     particleName(particle));
}

}  // namespace bolo
