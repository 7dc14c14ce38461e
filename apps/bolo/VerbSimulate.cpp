// bolo simulate pions|photons: write the reference showers (CaloChallenge dataset-1 format)
// with the built-in physics-motivated simulator; see docs/simulation.md.
// Library entry point: simulateReference (calo/ReferenceSimulation.hpp).

#include <memory>

#include "apps/bolo/SharedOptions.hpp"
#include "apps/bolo/Verbs.hpp"
#include "calo/ReferenceSimulation.hpp"
#include "calo/ShowerFile.hpp"

namespace bolo::app {

void setupSimulate(CLI::App& app) {
  struct Options {
    ReferenceSimulation request;
    unsigned long long seed = 0;
    bool json = false;
  };
  auto o = std::make_shared<Options>();
  auto& r = o->request;
  auto* verb =
      app.add_subcommand("simulate", "Simulate reference showers (CaloChallenge dataset-1 format)");
  verb->add_option("particle", r.particle, "pions or photons")->required();
  verb->add_option("--events", r.events, "Showers per energy (default: from the config)")
      ->check(positiveInteger<int>());
  verb->add_option("--energies", r.energies,
                   "Incident energies in MeV, comma-separated (default: 2^8..2^22)")
      ->delimiter(',')
      ->check(positiveNumberUpTo(kMaxIncidentEnergyMeV));
  auto* seed = verb->add_option("--seed", o->seed, "Random seed (default: from the config)")
                   ->check(unsignedInteger());
  verb->add_option("--out", r.out,
                   "Output HDF5 file (default: <workdir>/data/<particle>_reference.h5)");
  addThreadsOption(verb, r.threads,
                   "Threads (default: all cores); the output does not depend on it");
  addConfigOption(verb, r.config,
                  "Config file (default: <workdir>/configs/simulate.json if present)");
  verb->add_option("--plots", r.plots, "Also draw summary plots of the result into this folder");
  addWorkDirOption(verb, r.workdir);
  addJsonFlag(verb, o->json, "Print the result summary as JSON");
  verb->callback([o, seed] {
    if (seed->count() > 0) o->request.seed = o->seed;
    const auto result = simulateReference(o->request);
    if (o->json) printJson(result);
  });
}

}  // namespace bolo::app
