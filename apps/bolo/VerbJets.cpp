// bolo jets: simulate the synthetic jets with the DL1 input variables and write the train,
// validation and test splits to <workdir>/data/jets.h5 (atomically).
// Library entry point: simulateJets (ftag/JetSimulation.hpp).

#include "apps/bolo/SharedOptions.hpp"
#include "apps/bolo/Verbs.hpp"
#include "ftag/JetSimulation.hpp"

namespace bolo::app {

void setupJets(CLI::App& app) {
  auto o = std::make_shared<VerbOptions<JetSimulation>>();
  auto& r = o->request;
  auto* verb = app.add_subcommand(
      "jets", "Simulate synthetic jets with the DL1 tagger inputs (train/validation/test)");
  addWorkDirOption(verb, r.workdir);
  addConfigOption(verb, r.config, "Jet config (default: <workdir>/configs/jets.json or built-in)");
  verb->add_option("--out", r.out, "Output HDF5 file (default: <workdir>/data/jets.h5)");
  verb->add_option("--seed", r.seed, "Override the config's seed")
      ->check(nonNegativeInteger<long long>());
  addJsonFlag(verb, o->json);
  callOnRun(verb, o, simulateJets);
}

}  // namespace bolo::app
