#include "ftag/JetSimulation.hpp"

#include <filesystem>

#include "common/ConfigReader.hpp"
#include "common/Log.hpp"
#include "common/Manifest.hpp"
#include "ftag/FtagLayout.hpp"
#include "ftag/JetFile.hpp"
#include "ftag/JetGenerator.hpp"

namespace bolo {

namespace fs = std::filesystem;

nlohmann::json simulateJets(const JetSimulation& options) {
  const WorkDir dir = resolveWorkDir(options.workdir);
  const fs::path configPath = dir.configFile(options.config, "jets.json");
  auto config = configPath.empty() ? JetGeneratorConfig{}
                                   : jetGeneratorConfigFromJson(readJsonFile(configPath.string()));
  if (options.seed >= 0) config.seed = static_cast<std::uint64_t>(options.seed);
  const fs::path out = jetFile(dir, options.out);
  const fs::path runDir = jetRecordsDir(dir);
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
  return summary;
}

}  // namespace bolo
