// `bolo export` as users run it: the models it writes, run with ONNX Runtime, give the showers
// `bolo generate` writes for the same latent numbers and energies (pions, and photons with
// their two GANs); invalid requests exit with the README's codes, one error line, and leave
// no model behind.

#include <gtest/gtest.h>

#include <algorithm>
#include <nlohmann/json.hpp>

#include "ExportTestSupport.hpp"
#include "calo/nn/GanShowerGenerator.hpp"
#include "common/nn/TorchRuntime.hpp"
#include "support/OnnxRuntime.hpp"
#include "support/RunBolo.hpp"
#include "support/TempDir.hpp"

namespace bolo {
namespace {

namespace fs = std::filesystem;
using test::runBolo;
using test::TempDir;

bool noModelIn(const fs::path& dir) {
  if (!fs::exists(dir)) return true;
  for (const auto& entry : fs::directory_iterator(dir)) {
    if (entry.path().extension() == ".onnx" || entry.path().extension() == ".json") return false;
  }
  return true;
}

void expectOneErrorLine(const ProcessResult& r) {
  EXPECT_EQ(r.err.rfind("bolo: error: ", 0), 0u) << r.err;
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << "one line: " << r.err;
}

/// A work directory whose run `particle` has checkpoints and a bestiter record.
struct TrainedRun {
  TrainedRun(const std::string& tag, const std::string& which) : dir(tag), particle(which) {
    nn::configureCpuThreads(1);
    const fs::path checkpoints = work() / "checkpoints" / particle;
    if (particle == "pions") {
      auto config = test::smallGanConfig();
      config.emaDecay = 0.99;
      sidecars["all"] =
          test::writeGanCheckpoint(checkpoints / "all", config, "pions", "all", 0, 1e9, 500, 8);
    } else {
      auto low = test::smallGanConfig();
      low.generatorOutput = "energy_sharing";
      low.shapeNoise = true;  // bolo generate's noise must be the one fed to the model
      auto high = test::smallGanConfig();
      high.activation = "tanh";
      sidecars["low"] =
          test::writeGanCheckpoint(checkpoints / "low", low, "photons", "low", 0, 4096, 200, 9);
      sidecars["high"] = test::writeGanCheckpoint(checkpoints / "high", high, "photons", "high",
                                                  4096, 1e9, 300, 10);
    }
    std::map<std::string, double> chi2;
    for (const auto& [gan, path] : sidecars) chi2[gan] = 3.0;
    test::writeBestIterRecord(work(), particle, particle, sidecars, chi2);
  }
  fs::path work() const { return dir / "work"; }

  TempDir dir;
  std::string particle;
  std::map<std::string, fs::path> sidecars;
};

/// `bolo export`, then `bolo generate` at `energies` (n each) with seed 7, and ONNX Runtime on
/// the latent numbers each GAN drew there.
void exportAndCompareWithGenerate(const TrainedRun& run, const std::vector<double>& points) {
  const fs::path models = run.dir / "models";
  const auto exported = runBolo({"export", run.particle, "--workdir", run.work().string(), "--out",
                                 models.string(), "--json"});
  ASSERT_EQ(exported.exitCode, 0) << exported.err;
  const auto summary = nlohmann::json::parse(exported.out);
  EXPECT_EQ(summary["models"].size(), run.sidecars.size());
  EXPECT_NE(summary["checkpoint_source"].get<std::string>().find("best.json"), std::string::npos);

  const std::size_t n = 4;
  std::string energyList;
  for (double e : points) energyList += (energyList.empty() ? "" : ",") + fmt::format("{}", e);
  const fs::path generated = run.dir / "generated.h5";
  const auto gen = runBolo({"generate", run.particle, "--workdir", run.work().string(),
                            "--energies", energyList, "-n", std::to_string(n), "--seed", "7",
                            "--device", "cpu", "--threads", "1", "--out", generated.string()});
  ASSERT_EQ(gen.exitCode, 0) << gen.err;
  const ShowerBatch showers = ShowerFileReader(generated).readAll();
  ASSERT_EQ(showers.size(), points.size() * n);

  // `bolo generate` hands consecutive energies of one GAN to it with seed + (index of the
  // first of them) (GanEnsemble::generate); the points are in increasing energy.
  std::size_t first = 0;
  for (const auto& [gan, sidecar] : run.sidecars) {
    nn::GanShowerGenerator g(nn::resolveCheckpoint(sidecar), "cpu");
    std::vector<double> mine;
    std::size_t start = showers.size();
    for (std::size_t i = 0; i < showers.size(); ++i) {
      const double e = showers.incidentEnergies[i];
      if (e > g.energyLoMeV() && e <= g.energyHiMeV()) {
        start = std::min(start, i);
        mine.push_back(e);
      }
    }
    ASSERT_FALSE(mine.empty()) << gan;
    ShowerBatch part;
    part.voxels = showers.voxels;
    part.incidentEnergies = mine;
    part.showers.assign(showers.row(start), showers.row(start) + mine.size() * showers.voxels);
    const auto latent = g.latentNumbers(mine.size(), 7 + start);
    const auto onnx = test::runOnnxModel(models / fmt::format("{}_{}.onnx", run.particle, gan),
                                         latent, std::vector<float>(mine.begin(), mine.end()),
                                         run.dir.path(), g.voxelNoise(mine.size(), 7 + start));
    test::compareShowers(onnx.values, part, fmt::format("bolo generate {} {}", run.particle, gan));
    first += mine.size();
  }
  EXPECT_EQ(first, showers.size()) << "every generated shower compared";
}

TEST(ExportCli, PionsModelGivesTheShowersOfBoloGenerate) {
  TrainedRun run("bolo-export-cli-pions", "pions");
  exportAndCompareWithGenerate(run, {256, 65536, 4194304});
}

TEST(ExportCli, PhotonModelsGiveTheShowersOfBoloGenerate) {
  TrainedRun run("bolo-export-cli-photons", "photons");
  exportAndCompareWithGenerate(run, {512, 4096, 8192, 1048576});
  for (const char* gan : {"low", "high"}) {
    const auto d =
        nlohmann::json::parse(readFile(run.dir / fmt::format("models/photons_{}.json", gan)));
    EXPECT_EQ(d["training"]["chi2_ndf"], 3.0) << gan;
  }
}

TEST(ExportCli, NoBestIterRecordExits2) {
  TempDir dir("bolo-export-cli-none");
  const auto r = runBolo({"export", "pions", "--workdir", (dir / "work").string(), "--out",
                          (dir / "models").string()});
  EXPECT_EQ(r.exitCode, 2);
  expectOneErrorLine(r);
  EXPECT_NE(r.err.find("bolo bestiter pions"), std::string::npos) << r.err;
  EXPECT_TRUE(noModelIn(dir / "models"));
}

TEST(ExportCli, CheckpointOfAnotherParticleExits2) {
  TrainedRun run("bolo-export-cli-other", "photons");
  const auto r = runBolo({"export", "pions", "--workdir", run.work().string(), "--checkpoint",
                          run.sidecars.at("low").string(), "--out", (run.dir / "models").string()});
  EXPECT_EQ(r.exitCode, 2);
  expectOneErrorLine(r);
  EXPECT_TRUE(noModelIn(run.dir / "models"));
}

TEST(ExportCli, UnwritableOutputExits1) {
  TrainedRun run("bolo-export-cli-unwritable", "pions");
  // A regular file where the output directory should go: not writable even for root.
  writeFileAtomically(run.dir / "blocker", "x\n");
  const auto r = runBolo({"export", "pions", "--workdir", run.work().string(), "--out",
                          (run.dir / "blocker" / "models").string()});
  EXPECT_EQ(r.exitCode, 1);
  expectOneErrorLine(r);
  EXPECT_TRUE(noModelIn(run.dir.path()));
}

TEST(ExportCli, MissingOutIsAUsageError) {
  TempDir dir("bolo-export-cli-usage");
  EXPECT_EQ(runBolo({"export", "pions", "--workdir", (dir / "work").string()}).exitCode, 2);
  EXPECT_EQ(runBolo({"export", "kaons", "--out", (dir / "m").string()}).exitCode, 2);
  EXPECT_EQ(runBolo({"export", "--help"}).exitCode, 0);
}

}  // namespace
}  // namespace bolo
