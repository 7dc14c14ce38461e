// bolo jets: simulate the synthetic jets with the DL1 input variables and write the train,
// validation and test splits to <workdir>/data/jets.h5 (atomically).

#include <fmt/format.h>

#include <filesystem>

#include "apps/bolo/SharedOptions.hpp"
#include "apps/bolo/Verbs.hpp"
#include "common/ConfigReader.hpp"
#include "common/Log.hpp"
#include "common/Manifest.hpp"
#include "common/WorkDir.hpp"
#include "ftag/JetFile.hpp"
#include "ftag/JetGenerator.hpp"

namespace bolo::app {

namespace fs = std::filesystem;

namespace {

struct JetsOptions {
  std::string workdir;
  std::string config;
  std::string out;
  long long seed = -1;
  bool json = false;
};

void runJets(const JetsOptions& options) {
  const WorkDir dir = resolveWorkDir(options.workdir);
  std::string configPath = options.config;
  if (configPath.empty() && fs::exists(dir.configs() / "jets.json"))
    configPath = (dir.configs() / "jets.json").string();
  auto config = configPath.empty() ? JetGeneratorConfig{}
                                   : jetGeneratorConfigFromJson(readJsonFile(configPath));
  if (options.seed >= 0) config.seed = static_cast<std::uint64_t>(options.seed);
  const fs::path out = options.out.empty() ? dir.data() / "jets.h5" : fs::path(options.out);
  const fs::path runDir = dir.output() / "jets";
  fs::create_directories(runDir);
  writeResolvedConfig(runDir, toJson(config));
  auto manifest = startManifest("jets", config.seed);
  manifest.extra = {{"output", out.string()}};
  writeManifest(runDir, manifest);

  log::info("simulating {} + {} + {} jets (seed {})", config.trainJets, config.validationJets,
            config.testJets, config.seed);
  const auto splits = generateJets(config);
  writeJetFile(out, splits, toJson(config));
  finishManifest(runDir, manifest, "completed");
  nlohmann::json summary = {{"output", out.string()}, {"variables", jetVariables().size()}};
  for (const auto& [name, sample] :
       {std::pair{"train", &splits.train}, std::pair{"validation", &splits.validation},
        std::pair{"test", &splits.test}}) {
    const auto counts = sample->flavourCounts();
    summary["splits"][name] = {
        {"jets", sample->size()}, {"b", counts[0]}, {"c", counts[1]}, {"light", counts[2]}};
  }
  log::info("wrote {} ({} variables)", out.string(), jetVariables().size());
  if (options.json) printJson(summary);
}

}  // namespace

void setupJets(CLI::App& app) {
  auto options = std::make_shared<JetsOptions>();
  auto* verb = app.add_subcommand(
      "jets", "Simulate synthetic jets with the DL1 tagger inputs (train/validation/test)");
  addWorkDirOption(verb, options->workdir);
  verb->add_option("--config", options->config,
                   "Jet config (default: <workdir>/configs/jets.json or built-in)");
  verb->add_option("--out", options->out, "Output HDF5 file (default: <workdir>/data/jets.h5)");
  verb->add_option("--seed", options->seed, "Override the config's seed")
      ->check(CLI::NonNegativeNumber);
  verb->add_flag("--json", options->json, "Print a summary as JSON on stdout");
  verb->callback([options] { runJets(*options); });
}

}  // namespace bolo::app
