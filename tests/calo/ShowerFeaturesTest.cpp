// High-level shower features: a hand-made shower with known centre and width, and a random
// file whose features are recomputed independently with numpy + h5py, following the
// CaloChallenge evaluation code (HighLevelFeatures.py, XMLHandler.py).

#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <numbers>
#include <random>

#include "calo/ShowerFeatures.hpp"
#include "common/AtomicFile.hpp"
#include "common/Error.hpp"
#include "common/Subprocess.hpp"

namespace bolo {
namespace {

namespace fs = std::filesystem;

ShowerGeometry pions() {
  return ShowerGeometry::fromXml(fs::path(BOLO_SOURCE_DIR) /
                                 "data/geometry/binning_dataset_1_pions.xml");
}

std::size_t layerIndex(const ShowerGeometry& g, int id) {
  for (std::size_t l = 0; l < g.layers().size(); ++l) {
    if (g.layers()[l].id == id) return l;
  }
  throw std::logic_error("no layer");
}

TEST(ShowerFeaturesTest, HandMadeShowerHasKnownCentreAndWidth) {
  const auto g = pions();
  const ShowerFeatureCalculator calculator(g);
  ShowerBatch batch;
  batch.voxels = g.voxelCount();
  batch.incidentEnergies = {8.0};
  batch.showers.assign(g.voxelCount(), 0.0f);
  const std::size_t l1 = layerIndex(g, 1);
  // Layer 1 has 10 alpha bins: bin 2 is centred at alpha = -pi/2, bin 7 at +pi/2; the first
  // radial bin (0-1 mm) at r = 0.5 mm. So the voxels sit at y = -0.5 and y = +0.5, x = 0.
  batch.row(0)[g.voxelIndex(l1, 2, 0)] = 1.0f;
  batch.row(0)[g.voxelIndex(l1, 7, 0)] = 3.0f;
  // Layer 12 (alpha bins too): one voxel, zero width; its alpha bin 5 is centred at pi/10.
  const std::size_t l12 = layerIndex(g, 12);
  batch.row(0)[g.voxelIndex(l12, 5, 1)] = 2.0f;  // r = 15 mm
  auto f = calculator.emptyFeatures();
  calculator.append(batch, f);
  ASSERT_EQ(f.showers(), 1u);
  EXPECT_DOUBLE_EQ(f.column("etot_over_einc").values[0], 6.0 / 8.0);
  EXPECT_DOUBLE_EQ(f.column("energy_layer_1").values[0], 4.0);
  EXPECT_DOUBLE_EQ(f.column("energy_layer_0").values[0], 0.0);
  // centre phi = (1 * -0.5 + 3 * 0.5) / 4 = 0.25; width = sqrt((0.25 + 0.75) / 4 - 0.25^2)
  EXPECT_NEAR(f.column("centre_phi_layer_1").values[0], 0.25, 1e-12);
  EXPECT_NEAR(f.column("width_phi_layer_1").values[0], std::sqrt(0.1875), 1e-12);
  EXPECT_NEAR(f.column("centre_eta_layer_1").values[0], 0.0, 1e-12);
  EXPECT_NEAR(f.column("width_eta_layer_1").values[0], 0.0, 1e-6);
  EXPECT_NEAR(f.column("centre_eta_layer_12").values[0], 15.0 * std::cos(std::numbers::pi / 10),
              1e-12);
  EXPECT_NEAR(f.column("centre_phi_layer_12").values[0], 15.0 * std::sin(std::numbers::pi / 10),
              1e-12);
  EXPECT_NEAR(f.column("width_eta_layer_12").values[0], 0.0, 1e-6);
  // 2 of layer 1's 100 voxels are filled; layer 0 is empty; layer 12 has 15 x 10 voxels.
  EXPECT_DOUBLE_EQ(f.column("sparsity_layer_1").values[0], 0.98);
  EXPECT_DOUBLE_EQ(f.column("sparsity_layer_0").values[0], 1.0);
  EXPECT_DOUBLE_EQ(f.column("sparsity_layer_12").values[0], 1.0 - 1.0 / 150.0);
  // Single-alpha-bin layers (0, 3, 14) have no eta/phi features.
  EXPECT_THROW(f.column("centre_eta_layer_0"), InputError);
  // an empty layer: centre 0 (not NaN) thanks to the 1e-16 guard of the CaloChallenge code
  EXPECT_DOUBLE_EQ(f.column("centre_eta_layer_2").values[0], 0.0);
}

// Recomputes the features from the XML and the HDF5 file, in the CaloChallenge way.
constexpr const char* kIndependentFeatures = R"PY(
import sys, json, math
import numpy as np, h5py
import xml.etree.ElementTree as ET
xml_path, h5_path = sys.argv[1], sys.argv[2]
layers = []
for particle in ET.parse(xml_path).getroot():
    for layer in particle:
        r = [float(s) for s in layer.attrib['r_edges'].split(',')]
        layers.append((int(layer.attrib['id']), r, int(layer.attrib['n_bin_alpha'])))
with h5py.File(h5_path, 'r') as f:
    data = f['showers'][:].astype(np.float64)
    einc = f['incident_energies'][:].reshape(-1)
out = {'etot_over_einc': (data.sum(axis=1) / einc).tolist()}
start = 0
for lid, r, na in layers:
    nr = len(r) - 1
    if nr == 0:
        continue
    n = nr * na
    E = data[:, start:start + n]
    start += n
    mid = [(r[i] + r[i + 1]) / 2 for i in range(nr)]
    alpha = [-math.pi + (j + 0.5) * 2 * math.pi / na for j in range(na)]
    rr = np.array([mid[i] for j in range(na) for i in range(nr)])
    aa = np.array([alpha[j] for j in range(na) for i in range(nr)])
    eta, phi = rr * np.cos(aa), rr * np.sin(aa)
    s = E.sum(axis=-1)
    out['energy_layer_%d' % lid] = s.tolist()
    out['sparsity_layer_%d' % lid] = (1. - (E > 0).mean(axis=-1)).tolist()
    if na > 1:
        ce = (eta * E).sum(axis=-1) / (s + 1e-16)
        cp = (phi * E).sum(axis=-1) / (s + 1e-16)
        we = np.sqrt(((eta * eta * E).sum(axis=-1) / (s + 1e-16) - ce ** 2).clip(min=0.))
        wp = np.sqrt(((phi * phi * E).sum(axis=-1) / (s + 1e-16) - cp ** 2).clip(min=0.))
        out['centre_eta_layer_%d' % lid] = ce.tolist()
        out['centre_phi_layer_%d' % lid] = cp.tolist()
        out['width_eta_layer_%d' % lid] = we.tolist()
        out['width_phi_layer_%d' % lid] = wp.tolist()
print(json.dumps(out))
)PY";

TEST(ShowerFeaturesTest, MatchesAnIndependentNumpyComputationOnAFloat64File) {
  const auto probe = runProcess({"/usr/bin/python3", "-c", "import numpy, h5py"});
  if (probe.exitCode != 0) GTEST_SKIP() << "/usr/bin/python3 with numpy and h5py is not available";
  const auto g = pions();
  const fs::path dir =
      fs::temp_directory_path() / fs::path("bolo-features-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  std::mt19937_64 rng(7);
  std::exponential_distribution<float> energy(0.05f);
  std::bernoulli_distribution empty(0.6);
  ShowerBatch batch;
  batch.voxels = g.voxelCount();
  const std::size_t n = 60;
  for (std::size_t i = 0; i < n; ++i) {
    batch.incidentEnergies.push_back(std::ldexp(1.0, 8 + static_cast<int>(i % 15)));
    for (std::size_t v = 0; v < batch.voxels; ++v)
      batch.showers.push_back(empty(rng) ? 0.0f : energy(rng));
  }
  const fs::path file = dir / "showers.h5";
  writeShowerFile(file, batch, {ShowerPrecision::kFloat64, 16, 0});
  const auto xml = fs::path(BOLO_SOURCE_DIR) / "data/geometry/binning_dataset_1_pions.xml";
  const auto python =
      runProcess({"/usr/bin/python3", "-c", kIndependentFeatures, xml.string(), file.string()});
  ASSERT_EQ(python.exitCode, 0) << python.err;
  const auto expected = nlohmann::json::parse(python.out);

  const ShowerFileReader reader(file);
  const auto features = ShowerFeatureCalculator(g).compute(reader, 7);  // chunks of 7 rows
  ASSERT_EQ(features.showers(), n);
  ASSERT_EQ(features.columns.size(), expected.size());
  for (const auto& column : features.columns) {
    ASSERT_TRUE(expected.contains(column.name)) << column.name;
    const auto& values = expected[column.name];
    ASSERT_EQ(values.size(), n);
    for (std::size_t i = 0; i < n; ++i) {
      // Both sum the same float values in double precision, in possibly different order:
      // relative differences stay near 1e-15; 1e-9 leaves room and still catches any
      // wrong voxel, centre or formula.
      const double want = values[i].get<double>();
      EXPECT_NEAR(column.values[i], want, 1e-9 * (1.0 + std::abs(want)))
          << column.name << " shower " << i;
    }
  }
  fs::remove_all(dir);
}

TEST(ShowerFeaturesTest, RejectsGeometryMismatchAndEmptyFiles) {
  const auto g = pions();
  const fs::path dir =
      fs::temp_directory_path() / fs::path("bolo-features-bad-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  ShowerBatch wrong;
  wrong.voxels = 368;
  wrong.incidentEnergies = {1000.0};
  wrong.showers.assign(368, 1.0f);
  writeShowerFile(dir / "wrong.h5", wrong);
  EXPECT_THROW(ShowerFeatureCalculator(g).compute(ShowerFileReader(dir / "wrong.h5"), 10),
               InputError);
  ShowerBatch none;
  none.voxels = g.voxelCount();
  writeShowerFile(dir / "empty.h5", none);
  EXPECT_THROW(ShowerFeatureCalculator(g).compute(ShowerFileReader(dir / "empty.h5"), 10),
               InputError);
  auto f = ShowerFeatureCalculator(g).emptyFeatures();
  EXPECT_THROW(ShowerFeatureCalculator(g).append(wrong, f), InputError);
  fs::remove_all(dir);
}

}  // namespace
}  // namespace bolo
