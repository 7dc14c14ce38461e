#include "apps/bolo/bench/BenchSupport.hpp"

#include "apps/bolo/SharedOptions.hpp"
#include "common/AtomicFile.hpp"
#include "common/Log.hpp"
#include "common/MachineInfo.hpp"
#include "common/Manifest.hpp"
#include "common/Version.hpp"

namespace bolo::app {

void addBenchOutputOption(CLI::App* bench, BenchOutput& output) {
  bench->add_option("--out", output.outPath, "Also write the JSON report to this file");
}

void reportBenchmark(const BenchOutput& output, const std::string& name,
                     const nlohmann::json& results) {
  const nlohmann::json report = {
      {"benchmark", name},     {"date", utcNow()},          {"bolo_version", version()},
      {"commit", gitCommit()}, {"build_type", buildType()}, {"machine", toJson(describeMachine())},
      {"results", results}};
  if (!output.outPath.empty()) {
    writeFileAtomically(output.outPath, report.dump(2) + "\n");
    log::info("benchmark report written to {}", output.outPath);
  }
  printJson(report);
}

}  // namespace bolo::app
