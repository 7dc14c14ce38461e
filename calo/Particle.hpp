#pragma once
// The particles of CaloChallenge dataset 1 and their parsing from the command line.

#include <string>
#include <vector>

namespace bolo {

enum class Particle { kPions, kPhotons };

/// "pions" / "photons" (also accepts "pion", "photon"); InputError listing valid ones otherwise.
Particle parseParticle(const std::string& name);
std::string particleName(Particle particle);  ///< "pions" or "photons"
std::vector<std::string> particleNames();
/// Shipped binning XML for the particle, under dataDirectory()/geometry.
std::string defaultGeometryPath(Particle particle);

}  // namespace bolo
