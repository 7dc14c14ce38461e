#include "ftag/FtagLayout.hpp"

#include <fmt/format.h>

#include "common/ConfigReader.hpp"
#include "common/Error.hpp"

namespace bolo {

namespace fs = std::filesystem;

fs::path jetFile(const WorkDir& dir, const std::string& option) {
  return option.empty() ? dir.data() / "jets.h5" : fs::path(option);
}

fs::path jetRecordsDir(const WorkDir& dir) {
  return dir.output() / "jets";
}

fs::path taggerDir(const WorkDir& dir) {
  return dir.output() / "tagger";
}

fs::path bdtDir(const WorkDir& dir, const std::string& option) {
  return option.empty() ? taggerDir(dir) / "bdt" : fs::path(option);
}

fs::path ScanLayout::jobFile(std::size_t job) const {
  return jobs() / fmt::format("job_{:03d}.json", job);
}

fs::path ScanLayout::jobFileTemplate() const {
  return jobs() / "job_{task:03}.json";
}

ScanLayout scanLayout(const WorkDir& dir, const std::string& option) {
  return {option.empty() ? dir.output() / "scan" : fs::path(option)};
}

fs::path resultsDirOfJob(const fs::path& jobFile) {
  return fs::absolute(jobFile).parent_path().parent_path() / "results";
}

fs::path runRecordDir(const fs::path& resultsDir, std::size_t job) {
  return resultsDir.parent_path() / "runs" / fmt::format("job_{:03d}", job);
}

ScanPlanFile readScanPlanFile(const ScanLayout& layout) {
  const auto path = layout.plan();
  if (!fs::exists(path))
    throw InputError(fmt::format("{}: no plan (run 'bolo scan plan' first)", path.string()));
  const auto json = readJsonFile(path.string());
  ScanPlanFile plan;
  if (!json.contains("space") || !json.contains("combinations") ||
      !json["combinations"].is_array()) {
    throw InputError(
        fmt::format("{}: not a scan plan (missing space or combinations)", path.string()));
  }
  plan.space = scanSpaceFromJson(json["space"]);
  for (std::size_t i = 0; i < json["combinations"].size(); ++i) {
    plan.combinations.push_back(scanCombinationFromJson(
        json["combinations"][i], fmt::format("{}: combinations[{}]", path.string(), i)));
  }
  return plan;
}

}  // namespace bolo
