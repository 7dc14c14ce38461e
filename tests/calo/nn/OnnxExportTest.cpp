// nn::exportOnnx: the exported models, run with ONNX Runtime, give the showers the in-process
// generator (what `bolo generate` runs) gives for the same latent numbers and energies, for
// every generator variant; the description beside each model; invalid requests write nothing.

#include <gtest/gtest.h>

#include <functional>

#include "ExportTestSupport.hpp"
#include "calo/nn/GanShowerGenerator.hpp"
#include "calo/nn/OnnxExport.hpp"
#include "common/Error.hpp"
#include "common/Version.hpp"
#include "common/nn/TorchRuntime.hpp"
#include "support/OnnxRuntime.hpp"
#include "support/TempDir.hpp"

namespace bolo::nn {
namespace {

namespace fs = std::filesystem;
using test::TempDir;

/// Energies of a GAN's slice and beyond its trained range (the condition extrapolates), five
/// showers each.
std::vector<double> energiesFor(double lo, double hi) {
  std::vector<double> out;
  for (double e : {256.0, 1000.0, 4096.0, 8192.0, 65536.0, 524288.0, 4194304.0}) {
    if (e > lo && e <= hi) out.insert(out.end(), 5, e);
  }
  return out;
}

/// The model's showers against the generator's own for the latent numbers it draws.
test::ShowerDifference compareWithGenerator(const fs::path& sidecar, const fs::path& model,
                                            const fs::path& scratch, const std::string& what) {
  GanShowerGenerator gen(resolveCheckpoint(sidecar), "cpu");
  const auto energies = energiesFor(gen.energyLoMeV(), gen.energyHiMeV());
  const unsigned long long seed = 42;
  ShowerBatch torchShowers;
  gen.generate(energies, seed, torchShowers);
  const auto latent = gen.latentNumbers(energies.size(), seed);
  const std::vector<float> energies32(energies.begin(), energies.end());
  const auto noise = gen.voxelNoise(energies.size(), seed);
  EXPECT_EQ(noise.size(), gen.config().shapeNoise ? energies.size() * gen.voxels() : 0u);
  const auto onnx = test::runOnnxModel(model, latent, energies32, scratch, noise);
  EXPECT_EQ(onnx.dims, (std::vector<int64_t>{static_cast<int64_t>(energies.size()),
                                             static_cast<int64_t>(gen.voxels())}));
  return test::compareShowers(onnx.values, torchShowers, what);
}

struct Variant {
  std::string name;
  std::function<void(GanConfig&)> edit;
};

// Names the variant in test output (gtest would print the struct's bytes).
void PrintTo(const Variant& v, std::ostream* os) {
  *os << v.name;
}

class ExportVariant : public ::testing::TestWithParam<Variant> {
 protected:
  void SetUp() override { configureCpuThreads(1); }
};

TEST_P(ExportVariant, OnnxRuntimeGivesTheGeneratorsShowers) {
  TempDir dir("bolo-export-variant");
  auto config = test::smallGanConfig();
  GetParam().edit(config);
  const auto sidecar = test::writeGanCheckpoint(dir / "work/checkpoints/pions/all", config, "pions",
                                                "all", 0, 1e9, 300, 3);
  ExportRequest r;
  r.particle = "pions";
  r.workdir = (dir / "work").string();
  r.checkpoints = {sidecar.string()};
  r.out = (dir / "models").string();
  const auto summary = exportOnnx(r);
  ASSERT_EQ(summary["models"].size(), 1u);
  const fs::path model = dir / "models/pions_all.onnx";
  ASSERT_TRUE(fs::exists(model));
  EXPECT_NO_THROW(checkOnnxModel(readFile(model), model.string()));
  compareWithGenerator(sidecar, model, dir.path(), GetParam().name);

  const auto description = nlohmann::json::parse(readFile(dir / "models/pions_all.json"));
  EXPECT_EQ(description["generator"]["activation"], config.activation);
  EXPECT_EQ(description["generator"]["output"], config.generatorOutput);
  EXPECT_EQ(description["generator"]["layer_shapes"], config.layerShapes);
  EXPECT_EQ(description["generator"]["shape_noise"], config.shapeNoise);
  EXPECT_EQ(description["inputs"].contains("voxel_noise"), config.shapeNoise);
  EXPECT_EQ(description["generator"]["voxel_threshold_mev"], config.voxelThresholdMeV);
  EXPECT_EQ(description["generator"]["weights"],
            config.emaDecay > 0 ? "generator_ema" : "generator");
  EXPECT_EQ(description["preprocessing"]["conditioning"], config.conditioning);
  EXPECT_EQ(description["preprocessing"]["voxel_scaling"], config.voxelScaling);
  EXPECT_EQ(description["training"]["run"], "pions");  // the checkpoint lies in that run
  EXPECT_TRUE(description["training"]["chi2_ndf"].is_null()) << "no bestiter report";
}

INSTANTIATE_TEST_SUITE_P(
    EveryGeneratorVariant, ExportVariant,
    ::testing::Values(Variant{"silu_relu_log_incident", [](GanConfig&) {}},
                      Variant{"relu_none_max",
                              [](GanConfig& c) {
                                c.activation = "relu";
                                c.generatorOutput = "none";
                                c.conditioning = "max";
                              }},
                      Variant{"leaky_relu_linear_sample_max",
                              [](GanConfig& c) {
                                c.activation = "leaky_relu";
                                c.conditioning = "linear";
                                c.voxelScaling = "sample_max";
                              }},
                      Variant{"tanh_gev_units",
                              [](GanConfig& c) {
                                c.activation = "tanh";
                                c.voxelScaling = "none";
                                c.latentMean = 0.5;
                                c.latentSd = 2.0;
                              }},
                      Variant{"energy_sharing",
                              [](GanConfig& c) { c.generatorOutput = "energy_sharing"; }},
                      Variant{"energy_sharing_ema_he_uniform",
                              [](GanConfig& c) {
                                c.generatorOutput = "energy_sharing";
                                c.emaDecay = 0.999;
                                c.weightInit = "he_uniform";
                              }},
                      Variant{"ema_relu_output", [](GanConfig& c) { c.emaDecay = 0.99; }},
                      Variant{"energy_sharing_sparsemax",
                              [](GanConfig& c) {
                                c.generatorOutput = "energy_sharing";
                                c.layerShapes = "sparsemax";
                              }},
                      Variant{"energy_sharing_shape_noise",
                              [](GanConfig& c) {
                                c.generatorOutput = "energy_sharing";
                                c.shapeNoise = true;
                              }},
                      Variant{"energy_sharing_shape_noise_threshold",
                              [](GanConfig& c) {
                                c.generatorOutput = "energy_sharing";
                                c.shapeNoise = true;
                                c.voxelThresholdMeV = 20.0;
                              }},
                      Variant{"energy_sharing_sparsemax_shape_noise",
                              [](GanConfig& c) {
                                c.generatorOutput = "energy_sharing";
                                c.layerShapes = "sparsemax";
                                c.shapeNoise = true;
                              }}),
    [](const auto& p) { return p.param.name; });

/// Photons: two GANs from a bestiter record, each its own model and description.
TEST(OnnxExport, PhotonsExportBothBestGansWithTheirDescriptions) {
  configureCpuThreads(1);
  TempDir dir("bolo-export-photons");
  const fs::path work = dir / "work";
  auto low = test::smallGanConfig();
  low.generatorOutput = "energy_sharing";
  low.emaDecay = 0.99;
  auto high = test::smallGanConfig();
  high.activation = "leaky_relu";
  high.conditioning = "max";
  const auto lowSidecar = test::writeGanCheckpoint(work / "checkpoints/photons/low", low, "photons",
                                                   "low", 0, 4096, 120, 5);
  const auto highSidecar = test::writeGanCheckpoint(work / "checkpoints/photons/high", high,
                                                    "photons", "high", 4096, 1e9, 80, 6);
  test::writeBestIterRecord(work, "photons", "photons",
                            {{"low", lowSidecar}, {"high", highSidecar}},
                            {{"low", 1.25}, {"high", 2.5}});
  ExportRequest r;
  r.particle = "photons";
  r.workdir = work.string();
  r.out = (dir / "models").string();
  const auto summary = exportOnnx(r);
  EXPECT_EQ(summary["models"].size(), 2u);
  EXPECT_EQ(summary["opset"], 13);

  compareWithGenerator(lowSidecar, dir / "models/photons_low.onnx", dir.path(), "photons low");
  compareWithGenerator(highSidecar, dir / "models/photons_high.onnx", dir.path(), "photons high");

  const auto d = nlohmann::json::parse(readFile(dir / "models/photons_low.json"));
  EXPECT_EQ(d["model"], "photons_low.onnx");
  EXPECT_EQ(d["particle"], "photons");
  EXPECT_EQ(d["gan"], "low");
  EXPECT_EQ(d["energy_slice_mev"]["above"], 0.0);
  EXPECT_EQ(d["energy_slice_mev"]["up_to"], 4096.0);
  EXPECT_EQ(d["latent"]["size"], 6);
  EXPECT_EQ(d["latent"]["mean"], 0.0);
  EXPECT_EQ(d["latent"]["sd"], 1.0);
  EXPECT_EQ(d["geometry"]["file"], "binning_dataset_1_photons.xml");
  EXPECT_EQ(d["geometry"]["voxels"], 368);
  EXPECT_EQ(d["outputs"]["voxel_energy"]["shape"][1], 368);
  EXPECT_EQ(d["training"]["run"], "photons");
  EXPECT_EQ(d["training"]["iteration"], 120);
  EXPECT_EQ(d["training"]["chi2_ndf"], 1.25);
  EXPECT_EQ(d["training"]["score"]["best"], true);
  EXPECT_EQ(d["bolo"]["version"], version());
  EXPECT_EQ(d["bolo"]["commit"], gitCommit());
  EXPECT_EQ(d["onnx"]["opset"], 13);
  const auto h = nlohmann::json::parse(readFile(dir / "models/photons_high.json"));
  EXPECT_EQ(h["energy_slice_mev"]["above"], 4096.0);
  EXPECT_EQ(h["training"]["chi2_ndf"], 2.5);
  EXPECT_EQ(h["training"]["iteration"], 80);
}

bool emptyOrMissing(const fs::path& dir) {
  return !fs::exists(dir) || fs::is_empty(dir);
}

TEST(OnnxExport, WithoutABestIterRecordNothingIsExported) {
  TempDir dir("bolo-export-norecord");
  ExportRequest r;
  r.particle = "pions";
  r.workdir = (dir / "work").string();
  r.out = (dir / "models").string();
  try {
    exportOnnx(r);
    FAIL() << "expected InputError";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("bolo bestiter pions"), std::string::npos) << e.what();
  }
  EXPECT_TRUE(emptyOrMissing(dir / "models"));
}

TEST(OnnxExport, ACheckpointOfAnotherParticleWritesNothing) {
  TempDir dir("bolo-export-particle");
  const auto pions = test::writeGanCheckpoint(dir / "ckpt/pions", test::smallGanConfig(), "pions",
                                              "all", 0, 1e9, 10, 1);
  const auto photons = test::writeGanCheckpoint(dir / "ckpt/photons", test::smallGanConfig(),
                                                "photons", "low", 0, 4096, 10, 1);
  ExportRequest r;
  r.particle = "pions";
  r.workdir = (dir / "work").string();
  r.checkpoints = {pions.string(), photons.string()};  // the second is wrong
  r.out = (dir / "models").string();
  try {
    exportOnnx(r);
    FAIL() << "expected InputError";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("checkpoint of photons, not pions"), std::string::npos)
        << e.what();
  }
  EXPECT_TRUE(emptyOrMissing(dir / "models")) << "the valid first model must not be left alone";
}

TEST(OnnxExport, AnUnwritableOutputIsARuntimeFailureAndLeavesNoFile) {
  TempDir dir("bolo-export-unwritable");
  const auto sidecar =
      test::writeGanCheckpoint(dir / "ckpt", test::smallGanConfig(), "pions", "all", 0, 1e9, 10, 1);
  writeFileAtomically(dir / "a-file", "not a directory\n");
  ExportRequest r;
  r.particle = "pions";
  r.workdir = (dir / "work").string();
  r.checkpoints = {sidecar.string()};
  r.out = (dir / "a-file/models").string();
  EXPECT_THROW(exportOnnx(r), RuntimeFailure);
  EXPECT_EQ(readFile(dir / "a-file"), "not a directory\n");
}

TEST(OnnxExport, TwoCheckpointsOfOneGanAreRefused) {
  TempDir dir("bolo-export-twice");
  const auto a =
      test::writeGanCheckpoint(dir / "ckpt", test::smallGanConfig(), "pions", "all", 0, 1e9, 10, 1);
  const auto b =
      test::writeGanCheckpoint(dir / "ckpt", test::smallGanConfig(), "pions", "all", 0, 1e9, 20, 1);
  ExportRequest r;
  r.particle = "pions";
  r.workdir = (dir / "work").string();
  r.checkpoints = {a.string(), b.string()};
  r.out = (dir / "models").string();
  EXPECT_THROW(exportOnnx(r), InputError);
  EXPECT_TRUE(emptyOrMissing(dir / "models"));
}

}  // namespace
}  // namespace bolo::nn
