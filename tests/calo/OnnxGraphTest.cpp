// The ONNX graph of a generator, run with ONNX Runtime, against a plain double-precision
// evaluation of the formulas of calo/nn/GanModel.cpp and calo/ShowerPreprocessing.cpp: every
// activation, output head, condition and voxel scaling. (That the graph matches LibTorch's
// generator itself is tested in tests/calo/nn/OnnxExportTest.cpp.)

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>

#include "calo/OnnxGraph.hpp"
#include "common/AtomicFile.hpp"
#include "common/Error.hpp"
#include "support/OnnxRuntime.hpp"
#include "support/TempDir.hpp"

namespace bolo {
namespace {

namespace fs = std::filesystem;

/// A network of random weights: latent 3, hidden 5 and 4, and the outputs `output` needs.
GeneratorNetwork randomNetwork(const std::string& activation, const std::string& output,
                               const std::vector<int64_t>& layerVoxels, unsigned seed) {
  std::mt19937 rng(seed);
  std::normal_distribution<float> normal(0.0f, 0.6f);
  GeneratorNetwork n;
  n.latentSize = 3;
  n.activation = activation;
  n.output = output;
  n.layerVoxels = layerVoxels;
  int voxels = 0;
  for (auto v : layerVoxels) voxels += static_cast<int>(v);
  const int outputs =
      output == "energy_sharing" ? voxels + static_cast<int>(layerVoxels.size()) + 1 : voxels;
  const std::vector<int> sizes = {n.latentSize + 1, 5, 4, outputs};
  for (std::size_t i = 0; i + 1 < sizes.size(); ++i) {
    DenseLayer l;
    l.inputs = sizes[i];
    l.outputs = sizes[i + 1];
    for (int k = 0; k < l.inputs * l.outputs; ++k) l.weight.push_back(normal(rng));
    // Positive biases on the last layer keep some ReLU outputs alive for the comparison.
    for (int k = 0; k < l.outputs; ++k) l.bias.push_back(normal(rng) + (i == 2 ? 0.3f : 0.0f));
    n.layers.push_back(l);
  }
  return n;
}

double activate(double x, const std::string& name) {
  if (name == "silu") return x / (1 + std::exp(-x));
  if (name == "relu") return std::max(x, 0.0);
  if (name == "leaky_relu") return x > 0 ? x : 0.2 * x;
  if (name == "tanh") return std::tanh(x);
  return x;
}

std::vector<double> softmax(const std::vector<double>& x) {
  const double top = *std::max_element(x.begin(), x.end());
  std::vector<double> out;
  double sum = 0;
  for (double v : x) sum += std::exp(v - top);
  for (double v : x) out.push_back(std::exp(v - top) / sum);
  return out;
}

/// The Euclidean projection of x onto the probability simplex, by its definition: the
/// threshold tau that makes sum max(x - tau, 0) = 1, found by bisection (no sorting, so it
/// checks the sorted formula of the graph independently).
std::vector<double> sparsemax(const std::vector<double>& x) {
  double lo = *std::min_element(x.begin(), x.end()) - 1, hi = *std::max_element(x.begin(), x.end());
  for (int i = 0; i < 200; ++i) {
    const double tau = 0.5 * (lo + hi);
    double sum = 0;
    for (double v : x) sum += std::max(v - tau, 0.0);
    (sum > 1 ? lo : hi) = tau;
  }
  std::vector<double> out;
  for (double v : x) out.push_back(std::max(v - 0.5 * (lo + hi), 0.0));
  return out;
}

/// One shower in MeV, as GanModel.cpp and ShowerPreprocessing.cpp define it.
std::vector<double> reference(const GeneratorNetwork& n, const float* latent, double energy) {
  std::vector<double> x(latent, latent + n.latentSize);
  x.push_back(static_cast<float>(n.preprocessing.condition(energy)));
  for (std::size_t i = 0; i < n.layers.size(); ++i) {
    const auto& l = n.layers[i];
    std::vector<double> y(static_cast<std::size_t>(l.outputs));
    for (int o = 0; o < l.outputs; ++o) {
      double sum = l.bias[static_cast<std::size_t>(o)];
      for (int k = 0; k < l.inputs; ++k)
        sum +=
            l.weight[static_cast<std::size_t>(o * l.inputs + k)] * x[static_cast<std::size_t>(k)];
      const bool last = i + 1 == n.layers.size();
      y[static_cast<std::size_t>(o)] = activate(sum, !last                ? n.activation
                                                     : n.output == "relu" ? "relu"
                                                                          : "none");
    }
    x = y;
  }
  if (n.output == "energy_sharing") {
    const std::size_t layers = n.layerVoxels.size();
    const std::size_t voxels = x.size() - layers - 1;
    const double response = std::log1p(std::exp(x.back() + 0.5));
    const auto fractions = softmax({x.begin() + static_cast<long>(voxels), x.end() - 1});
    std::vector<double> shower;
    std::size_t first = 0;
    for (std::size_t k = 0; k < layers; ++k) {
      const auto n_k = static_cast<std::size_t>(n.layerVoxels[k]);
      if (n_k == 0) continue;
      const std::vector<double> logits(x.begin() + static_cast<long>(first),
                                       x.begin() + static_cast<long>(first + n_k));
      const auto shape = n.layerShapes == "sparsemax" ? sparsemax(logits) : softmax(logits);
      for (double s : shape) shower.push_back(response * fractions[k] * s);
      first += n_k;
    }
    x = shower;
  }
  for (double& v : x) v /= n.preprocessing.targetScale(energy);
  return x;
}

struct Case {
  std::string activation, output, conditioning, voxelScaling;
  double minMeV, maxMeV;
  std::string layerShapes = "softmax";
};

// Names the case in test output (gtest would print the struct's bytes).
void PrintTo(const Case& c, std::ostream* os) {
  *os << c.activation << ' ' << c.output << ' ' << c.conditioning << ' ' << c.voxelScaling << ' '
      << c.minMeV << '-' << c.maxMeV << " MeV " << c.layerShapes;
}

class OnnxGraphCase : public ::testing::TestWithParam<Case> {};

TEST_P(OnnxGraphCase, OnnxRuntimeGivesTheFormulasOfGeneration) {
  const Case c = GetParam();
  // An empty middle layer: energy sharing must keep its fraction in the layer softmax.
  auto network = randomNetwork(c.activation, c.output, {3, 0, 2}, 5);
  network.layerShapes = c.layerShapes;
  network.preprocessing.conditioning = c.conditioning;
  network.preprocessing.voxelScaling = c.voxelScaling;
  network.preprocessing.minEnergyMeV = c.minMeV;
  network.preprocessing.maxEnergyMeV = c.maxMeV;
  network.preprocessing.maxVoxelMeV = 3000;
  test::TempDir dir("bolo-onnx-graph");
  const auto bytes = buildOnnxGenerator(network, "test", {{"bolo_gan", "test"}});
  EXPECT_NO_THROW(checkOnnxModel(bytes, "test model"));
  writeFileAtomically(dir / "model.onnx", bytes);

  // Energies inside and outside the trained range (the condition extrapolates).
  const std::vector<float> energies = {100, 256, 1000, 4096, 65536, 1048576, 4194304};
  std::vector<float> latent;
  std::mt19937 rng(11);
  std::normal_distribution<float> normal(0.0f, 1.0f);
  for (std::size_t i = 0; i < energies.size() * 3; ++i) latent.push_back(normal(rng));
  const auto out = test::runOnnxModel(dir / "model.onnx", latent, energies, dir.path());
  EXPECT_EQ(out.inputs, (std::vector<std::string>{"latent", "incident_energy"}));
  EXPECT_EQ(out.outputs, (std::vector<std::string>{"voxel_energy"}));
  ASSERT_EQ(out.dims, (std::vector<int64_t>{7, 5}));
  double nonZero = 0;
  for (std::size_t i = 0; i < energies.size(); ++i) {
    const auto expected = reference(network, latent.data() + 3 * i, energies[i]);
    const double scale = std::max(
        1e-30, std::abs(*std::max_element(expected.begin(), expected.end(), [](double a, double b) {
          return std::abs(a) < std::abs(b);
        })));
    for (std::size_t v = 0; v < expected.size(); ++v) {
      // float32 against double through three small layers: a few units of float rounding
      // (1.2e-7) per operation, far below 1e-5 of the shower's largest voxel; a wrong
      // formula (a missing +0.5, a softmax over the wrong slice, a wrong scale) is off by
      // tens of percent.
      EXPECT_NEAR(out.values[i * 5 + v], expected[v], 1e-5 * scale)
          << "shower " << i << " voxel " << v << " at " << energies[i] << " MeV";
      if (expected[v] != 0) ++nonZero;
    }
  }
  EXPECT_GT(nonZero, 5) << "the comparison must not be between zeros only";
}

INSTANTIATE_TEST_SUITE_P(
    EveryOption, OnnxGraphCase,
    ::testing::Values(Case{"silu", "relu", "log", "incident", 256, 4194304},
                      Case{"relu", "none", "max", "sample_max", 256, 4194304},
                      Case{"leaky_relu", "energy_sharing", "linear", "none", 256, 4194304},
                      Case{"tanh", "energy_sharing", "log", "incident", 8192, 4194304},
                      Case{"none", "none", "log", "incident", 1000, 1000},
                      Case{"silu", "energy_sharing", "max", "sample_max", 256, 4096},
                      Case{"silu", "energy_sharing", "log", "incident", 256, 4194304, "sparsemax"}),
    [](const auto& c) {
      return c.param.activation + "_" + c.param.output + "_" + c.param.conditioning + "_" +
             c.param.voxelScaling + (c.param.minMeV == c.param.maxMeV ? "_one" : "") +
             (c.param.layerShapes == "sparsemax" ? "_sparsemax" : "");
    });

TEST(OnnxGraph, InconsistentNetworksAreRefused) {
  auto network = randomNetwork("silu", "relu", {3, 2}, 1);
  network.layers[1].weight.pop_back();
  EXPECT_THROW(buildOnnxGenerator(network, "test"), InputError);

  network = randomNetwork("silu", "energy_sharing", {3, 2}, 1);
  network.layerVoxels = {3, 3};  // 6 voxels + 3 logits, but the network gives 5 + 3
  EXPECT_THROW(buildOnnxGenerator(network, "test"), InputError);

  network = randomNetwork("gelu", "relu", {3, 2}, 1);
  EXPECT_THROW(buildOnnxGenerator(network, "test"), InputError);

  network = randomNetwork("silu", "energy_sharing", {3, 2}, 1);
  network.layerShapes = "sparsest";
  EXPECT_THROW(buildOnnxGenerator(network, "test"), InputError);
}

TEST(OnnxGraph, CheckerRefusesWhatIsNotAModel) {
  EXPECT_THROW(checkOnnxModel("not a model", "junk"), InputError);
  // A parseable model that breaks a rule: no graph and no opset.
  EXPECT_THROW(checkOnnxModel(std::string(), "empty"), InputError);
}

}  // namespace
}  // namespace bolo
