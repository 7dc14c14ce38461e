#pragma once
// Summary plots of a simulated shower file (bolo simulate --plots DIR): mean longitudinal
// profile (energy fraction per layer), mean radial profile of the middle EM layer, and the
// response and resolution versus incident energy. Drawn through GnuplotFigure.

#include <filesystem>
#include <vector>

#include "calo/Particle.hpp"
#include "calo/ShowerFile.hpp"
#include "calo/ShowerGeometry.hpp"

namespace bolo {

/// Write sim_<particle>_{longitudinal,radial,response}.{png,pdf,svg} (with scripts and data)
/// into `dir`; returns the images written (none if gnuplot is missing).
std::vector<std::filesystem::path> plotSimulationSummary(const ShowerFileReader& reader,
                                                         const ShowerGeometry& geometry,
                                                         Particle particle,
                                                         const std::filesystem::path& dir);

}  // namespace bolo
