// bolo bench scan: how many scan combinations per hour this machine trains, with the
// default (CI-sized) synthetic jets and the default scan space's training settings, and the
// projected wall time of the whole default scan. A seeded random sample of the default space
// stands for all of it (small and large networks, both batch sizes and activations).

#include <fmt/format.h>

#include <chrono>
#include <filesystem>

#include "apps/bolo/SharedOptions.hpp"
#include "apps/bolo/Verbs.hpp"
#include "apps/bolo/bench/BenchSupport.hpp"
#include "common/Error.hpp"
#include "common/Log.hpp"
#include "common/StopSignal.hpp"
#include "common/nn/TorchRuntime.hpp"
#include "ftag/JetFile.hpp"
#include "ftag/JetGenerator.hpp"
#include "ftag/ScanSpace.hpp"
#include "ftag/nn/TaggerScan.hpp"

namespace bolo::app {

namespace fs = std::filesystem;

namespace {

struct BenchScanOptions {
  BenchOutput output;
  std::size_t combinations = 16;
  std::string device = "cpu";
  int threads = 1;
  bool halving = false;
};

void runBenchScan(const BenchScanOptions& options) {
  const auto device = nn::resolveDevice(options.device);
  const int threads = nn::configureCpuThreads(options.threads).matrix;
  const JetGeneratorConfig jetsConfig;
  const fs::path tmp = fs::temp_directory_path() / fmt::format("bolo-bench-scan-{}", ::getpid());
  fs::create_directories(tmp);
  const auto start = std::chrono::steady_clock::now();
  writeJetFile(tmp / "jets.h5", generateJets(jetsConfig), toJson(jetsConfig));
  const double generateSeconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  const auto data = nn::loadTaggerData(tmp / "jets.h5", false);
  fs::remove_all(tmp);

  ScanSpace defaults;
  ScanSpace sample = defaults;
  sample.method = "random";
  sample.samples = std::min(options.combinations, defaults.gridSize());
  sample.seed = 7;
  const auto plan = planScan(sample);
  auto halving = options.halving ? std::make_shared<nn::SuccessiveHalving>() : nullptr;
  const auto trainer = nn::makeTaggerScanTrainer(data, device.device, halving);
  nlohmann::json rows = nlohmann::json::array();
  double total = 0, epochs = 0;
  for (const auto& c : plan.combinations) {
    if (stopRequested()) throw stopError("nothing (benchmark abandoned)");
    const auto t0 = std::chrono::steady_clock::now();
    const auto outcome = trainer(c, defaults.training);
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    total += seconds;
    epochs += outcome.epochs;
    log::info("{} [{}] lr {} bs {} {}: {} epochs, loss {:.4f}, {:.1f} s", c.id,
              fmt::join(c.layers, "-"), c.learningRate, c.batchSize, c.activation, outcome.epochs,
              outcome.bestValidationLoss, seconds);
    rows.push_back({{"combination", toJson(c)},
                    {"epochs", outcome.epochs},
                    {"best_validation_loss", outcome.bestValidationLoss},
                    {"seconds", seconds}});
  }
  const double perCombination = total / static_cast<double>(plan.combinations.size());
  const double fullScanMinutes = perCombination * static_cast<double>(defaults.gridSize()) / 60;
  reportBenchmark(
      options.output, "scan",
      {{"device", device.device},
       {"threads", threads},
       {"jets", toJson(jetsConfig)},
       {"jet_generation_seconds", generateSeconds},
       {"training",
        {{"epochs", defaults.training.epochs}, {"patience", defaults.training.patience}}},
       {"halving", options.halving},
       {"combinations_timed", plan.combinations.size()},
       {"seconds_per_combination", perCombination},
       {"epochs_per_combination", epochs / static_cast<double>(plan.combinations.size())},
       {"combinations_per_hour", 3600 / perCombination},
       {"default_scan_combinations", defaults.gridSize()},
       {"projected_full_scan_minutes", fullScanMinutes},
       {"per_combination", rows}});
}

}  // namespace

void setupBenchScan(CLI::App& bench) {
  auto options = std::make_shared<BenchScanOptions>();
  auto* b =
      bench.add_subcommand("scan", "Scan combinations per hour with the default synthetic jets");
  addBenchOutputOption(b, options->output);
  b->add_option("--combinations", options->combinations,
                "Combinations to time (a seeded random sample)")
      ->check(positiveInteger<int>());
  b->add_option("--device", options->device, "cpu (default), auto, cuda or cuda:N");
  addThreadsOption(b, options->threads, "CPU threads (default 1; 0: all cores)");
  b->add_flag("--halving", options->halving,
              "Time with successive halving of hopeless combinations");
  b->callback([options] { runBenchScan(*options); });
}

}  // namespace bolo::app
