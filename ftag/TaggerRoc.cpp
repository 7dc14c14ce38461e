#include "ftag/TaggerRoc.hpp"

#include <fmt/format.h>

#include <filesystem>
#include <optional>

#include "common/AtomicFile.hpp"
#include "common/Error.hpp"
#include "common/Log.hpp"
#include "ftag/FtagLayout.hpp"
#include "ftag/JetFile.hpp"

namespace bolo {

namespace fs = std::filesystem;

namespace {

std::optional<TaggerPerformance> loadBdtPerformance(const fs::path& dir) {
  if (dir.empty() || !fs::exists(dir / "scores.h5")) return std::nullopt;
  return evaluateSingleScore("BDT (MV2-like)", readScoreFile(dir / "scores.h5"));
}

}  // namespace

nlohmann::json evaluateTaggerRoc(const TaggerRocRequest& options) {
  const WorkDir dir = resolveWorkDir(options.workdir);
  const fs::path model =
      options.model.empty() ? taggerDir(dir) / options.run : fs::path(options.model);
  if (!fs::exists(model / "scores.h5")) {
    throw InputError(fmt::format("{}: no scores.h5 (train the tagger first: bolo tagger train)",
                                 model.string()));
  }
  const auto performance =
      evaluateMulticlass(model.filename().string(), readScoreFile(model / "scores.h5"), options.fc);
  const fs::path bdtFolder = bdtDir(dir, options.bdt);
  const auto bdt = loadBdtPerformance(bdtFolder);
  if (!options.bdt.empty() && !bdt)
    throw InputError(fmt::format("{}: no BDT scores.h5", bdtFolder.string()));
  nlohmann::json result = {{"tagger", toJson(performance)}};
  if (bdt) result["bdt"] = toJson(*bdt);
  writeFileAtomically(model / "performance.json", result.dump(2) + "\n");
  if (!options.noPlots) drawPerformancePlots(model / "plots", {performance}, bdt);
  for (const auto& wp : performance.workingPoints) {
    log::info("{:.0f}% b-eff: light rejection {:.1f} +- {:.1f}, c rejection {:.2f} +- {:.2f}",
              100 * wp.targetBEfficiency, wp.lightRejection.value, wp.lightRejection.uncertainty,
              wp.cRejection.value, wp.cRejection.uncertainty);
  }
  log::info("performance written to {}", (model / "performance.json").string());
  return result;
}

}  // namespace bolo
