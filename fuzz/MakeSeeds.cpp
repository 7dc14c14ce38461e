// Writes the seed corpora of the fuzz targets into fuzz/corpus/<Target>/ from the code's own
// defaults (the configs `bolo init` writes, a planned scan job, a job record, a checkpoint
// sidecar, a metrics file, a small shower file), so the seeds stay valid as the formats
// change. Run by scripts/fuzz.sh --seeds; the output is committed (a few kilobytes).
// Usage: fuzz_make_seeds <fuzz/corpus>

#include <filesystem>
#include <fstream>

#include "batch/JobRecord.hpp"
#include "batch/SiteCatalogue.hpp"
#include "calo/CheckpointRecord.hpp"
#include "calo/ShowerFile.hpp"
#include "calo/SimulationConfig.hpp"
#include "calo/TrainingConfig.hpp"
#include "common/AtomicFile.hpp"
#include "ftag/JetGenerator.hpp"
#include "ftag/ScanResults.hpp"
#include "ftag/ScanSpace.hpp"
#include "ftag/TaggerConfig.hpp"

namespace fs = std::filesystem;
using namespace bolo;

namespace {

void seed(const fs::path& root, const std::string& target, const std::string& name,
          const std::string& content) {
  fs::create_directories(root / target);
  writeFileAtomically(root / target / name, content);
}

void seedJson(const fs::path& root, const std::string& target, const std::string& name,
              const nlohmann::json& json) {
  seed(root, target, name, json.dump(2) + "\n");
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) return 2;
  const fs::path root = argv[1];
  seedJson(root, "TrainConfig", "train.json", toJson(defaultTrainConfig()));
  seedJson(root, "TrainConfig", "bologan.json", toJson(defaultTrainConfig("bologan")));
  seedJson(root, "SimulationConfig", "simulate.json", toJson(SimulationConfig{}));
  seedJson(root, "JetsConfig", "jets.json", toJson(JetGeneratorConfig{}));
  seedJson(root, "TaggerConfig", "tagger.json", toJson(TaggerRunConfig{}));
  const ScanSpace space;
  seedJson(root, "ScanSpace", "scan_space.json", toJson(space));
  const auto plan = planScan(space);
  const std::vector<ScanCombination> two(plan.combinations.begin(), plan.combinations.begin() + 2);
  seedJson(root, "ScanJob", "job_000.json", scanJobJson(0, 4, space, two));
  ScanResult result;
  result.combination = two[0];
  result.bestValidationLoss = 0.61;
  result.bestEpoch = 2;
  result.epochs = 2;
  result.wallSeconds = 1.5;
  result.device = "cpu";
  result.host = "node01";
  result.validationLoss = {0.7, 0.61};
  seedJson(root, "ScanResult", two[0].id + ".json", toJson(result));
  seedJson(root, "SiteCatalogue", "sites.json", batch::toJson(batch::defaultSiteCatalogue()));

  batch::JobRecord job;
  job.id = "j0001";
  job.name = "train-pions";
  job.site = "local";
  job.command = {"bolo", "train", "pions"};
  job.arraySize = 2;
  job.tasks = {batch::TaskRecord{}, batch::TaskRecord{1, batch::JobState::kPending, 0, 0, ""}};
  job.submitted = "2024-01-01T00:00:00Z";
  job.logDir = "output/jobs/j0001/logs";
  job.jobDir = "jobs/j0001";
  seedJson(root, "JobRecord", "j0001.json", batch::toJson(job));

  const GanConfig gan = defaultGanConfig(Particle::kPions);
  ShowerPreprocessing prep;
  prep.conditioning = gan.conditioning;
  prep.voxelScaling = gan.voxelScaling;
  prep.minEnergyMeV = 256;
  prep.maxEnergyMeV = 4194304;
  seedJson(root, "CheckpointSidecar", "iter_000000010.json",
           {{"format", kCheckpointFormat},
            {"iteration", 10},
            {"archive", "iter_000000010.pt"},
            {"bytes", 123456},
            {"crc32", 3735928559u},
            {"gan", "all"},
            {"particle", "pions"},
            {"voxels", 533},
            {"architecture", {{"voxels", 533}, {"layer_voxels", {8, 100, 100, 5, 150, 160, 10}}}},
            {"config", toJson(gan)},
            {"preprocessing", toJson(prep)},
            {"energy_range_mev", {256.0, 4194304.0}},
            {"training_seconds", 12.5},
            {"seed", 1}});

  std::string metrics;
  for (int it = 100; it <= 500; it += 100) {
    metrics += nlohmann::json{{"iteration", it},          {"critic_loss", -1.5 + it * 1e-3},
                              {"generator_loss", 0.7},    {"wasserstein", 1.25},
                              {"gradient_penalty", 0.03}, {"marginal_matching", 0.0},
                              {"step_seconds", 0.01}}
                   .dump() +
               "\n";
  }
  seed(root, "MetricsJsonl", "metrics.jsonl", metrics + "{\"iteration\": 600, \"crit");

  ShowerBatch showers;
  showers.voxels = 6;
  for (int i = 0; i < 3; ++i) {
    showers.incidentEnergies.push_back(1000.0 * (i + 1));
    for (int v = 0; v < 6; ++v) showers.showers.push_back(static_cast<float>(10 * i + v));
  }
  fs::create_directories(root / "ShowerFile");
  writeShowerFile(root / "ShowerFile" / "float32.h5", showers, {ShowerPrecision::kFloat32, 2, 0});
  writeShowerFile(root / "ShowerFile" / "float64-gzip.h5", showers,
                  {ShowerPrecision::kFloat64, 2, 4});
  return 0;
}
