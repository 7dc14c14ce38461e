#include "common/WorkDir.hpp"

#include <fmt/format.h>

#include <cstdlib>

#include "common/AtomicFile.hpp"
#include "common/Error.hpp"
#include "common/Log.hpp"

namespace bolo {

namespace fs = std::filesystem;

fs::path WorkDir::configFile(const std::string& option, const std::string& name) const {
  if (!option.empty()) return option;
  if (fs::exists(configs() / name)) return configs() / name;
  return {};
}

WorkDir resolveWorkDir(const std::string& option) {
  if (!option.empty()) return {option};
  if (const char* env = std::getenv("BOLO_WORKDIR"); env && *env) return {env};
  return {"bolo-work"};
}

nlohmann::json initWorkDir(const WorkDir& dir,
                           const std::vector<std::pair<std::string, nlohmann::json>>& configs) {
  for (const auto& sub : {dir.configs(), dir.data(), dir.checkpoints(), dir.logs(), dir.output()}) {
    std::error_code ec;
    fs::create_directories(sub, ec);
    // An I/O error like any other write (README exit codes): 1, not 3.
    if (ec)
      throw RuntimeFailure(
          fmt::format("{}: cannot create directory: {}", sub.string(), ec.message()));
  }
  nlohmann::json written = nlohmann::json::array(), kept = nlohmann::json::array();
  for (const auto& [fileName, content] : configs) {
    const fs::path path = dir.configs() / fileName;
    if (fs::exists(path)) {
      kept.push_back(path.string());
      continue;
    }
    writeFileAtomically(path, content.dump(2) + "\n");
    written.push_back(path.string());
  }
  log::info("work directory ready: {} ({} config(s) written, {} kept as they were)",
            fs::absolute(dir.root).string(), written.size(), kept.size());
  return {{"workdir", fs::absolute(dir.root).string()},
          {"configs_written", written},
          {"configs_kept", kept}};
}

}  // namespace bolo
