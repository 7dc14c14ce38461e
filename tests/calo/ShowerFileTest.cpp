#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <limits>

#include "calo/ShowerFile.hpp"
#include "calo/ShowerGeometry.hpp"
#include "calo/ShowerSummary.hpp"
#include "common/Error.hpp"
#include "common/Subprocess.hpp"
#include "support/TempDir.hpp"

using namespace bolo;
namespace fs = std::filesystem;

namespace {

ShowerBatch makeBatch(std::size_t events, std::size_t voxels) {
  ShowerBatch b;
  b.voxels = voxels;
  for (std::size_t i = 0; i < events; ++i) {
    b.incidentEnergies.push_back(256.0 * static_cast<double>(1 << (i % 3)));
    for (std::size_t v = 0; v < voxels; ++v)
      b.showers.push_back(static_cast<float>((i * 7 + v) % 13) * 0.5f);
  }
  return b;
}

bool systemPythonHasH5py() {
  return runProcess({"/usr/bin/python3", "-c", "import h5py, numpy, pandas"}).exitCode == 0;
}

ProcessResult runPython(const std::string& code) {
  return runProcess({"/usr/bin/python3", "-c", code});
}

std::string expectInputError(const std::function<void()>& action) {
  try {
    action();
  } catch (const InputError& e) {
    return e.what();
  }
  ADD_FAILURE() << "expected an InputError";
  return {};
}

}  // namespace

TEST(ShowerFile, RoundTripFloat32Compressed) {
  test::TempDir dir;
  const auto batch = makeBatch(2500, 17);
  writeShowerFile(dir / "a.h5", batch, {ShowerPrecision::kFloat32, 1000, 6});
  ShowerFileReader reader(dir / "a.h5");
  EXPECT_EQ(reader.events(), 2500u);
  EXPECT_EQ(reader.voxels(), 17u);
  EXPECT_EQ(reader.precision(), ShowerPrecision::kFloat32);
  const auto back = reader.readAll();
  EXPECT_EQ(back.incidentEnergies, batch.incidentEnergies);
  EXPECT_EQ(back.showers, batch.showers);
}

TEST(ShowerFile, RoundTripFloat64Uncompressed) {
  test::TempDir dir;
  const auto batch = makeBatch(10, 5);
  writeShowerFile(dir / "b.h5", batch, {ShowerPrecision::kFloat64, 3, 0});
  ShowerFileReader reader(dir / "b.h5");
  EXPECT_EQ(reader.precision(), ShowerPrecision::kFloat64);
  EXPECT_EQ(reader.readAll().showers, batch.showers);
}

TEST(ShowerFile, ChunkedReadingVisitsEveryRowOnce) {
  test::TempDir dir;
  const auto batch = makeBatch(1003, 4);
  writeShowerFile(dir / "c.h5", batch);
  ShowerFileReader reader(dir / "c.h5");
  std::size_t seen = 0, expectedFirst = 0;
  reader.forEachChunk(100, [&](const ShowerBatch& chunk, std::size_t first) {
    EXPECT_EQ(first, expectedFirst);
    EXPECT_LE(chunk.size(), 100u);
    EXPECT_EQ(chunk.row(0)[0], batch.row(first)[0]);
    expectedFirst += chunk.size();
    seen += chunk.size();
  });
  EXPECT_EQ(seen, 1003u);
}

TEST(ShowerFile, AppendingBatchesAndAtomicity) {
  test::TempDir dir;
  const fs::path path = dir / "d.h5";
  {
    ShowerFileWriter writer(path, 3);
    writer.append(makeBatch(5, 3));
    writer.append(makeBatch(7, 3));
    EXPECT_FALSE(fs::exists(path)) << "file must not appear before close()";
    writer.close();
  }
  EXPECT_EQ(ShowerFileReader(path).events(), 12u);
  {
    ShowerFileWriter abandoned(dir / "e.h5", 3);
    abandoned.append(makeBatch(5, 3));
  }  // destroyed without close: nothing left behind, not even the temporary file
  EXPECT_FALSE(fs::exists(dir / "e.h5"));
  std::size_t files = 0;
  for ([[maybe_unused]] const auto& entry : fs::directory_iterator(dir.path())) ++files;
  EXPECT_EQ(files, 1u);
}

TEST(ShowerFile, WriterRejectsMismatchedBatch) {
  test::TempDir dir;
  ShowerFileWriter writer(dir / "f.h5", 3);
  EXPECT_THROW(writer.append(makeBatch(2, 4)), InputError);
}

TEST(ShowerFile, ReadsFileWrittenByH5py) {
  if (!systemPythonHasH5py())
    GTEST_SKIP() << "/usr/bin/python3 with h5py, numpy and pandas not installed";
  test::TempDir dir;
  const auto path = (dir / "py.h5").string();
  // float64 showers, different chunk shape, gzip and a float32 incident energy column.
  const auto result = runPython(
      "import h5py, numpy as np\n"
      "rng = np.random.default_rng(1)\n"
      "with h5py.File('" +
      path +
      "', 'w') as f:\n"
      "  f.create_dataset('incident_energies', data=np.array([[1024.0]]*50, dtype='f4'))\n"
      "  f.create_dataset('showers', data=np.arange(50*368, dtype='f8').reshape(50,368)/7,"
      " chunks=(7, 46), compression='gzip')\n");
  ASSERT_EQ(result.exitCode, 0) << result.err;
  ShowerFileReader reader(path);
  EXPECT_EQ(reader.precision(), ShowerPrecision::kFloat64);
  const auto batch = reader.readAll();
  EXPECT_EQ(batch.size(), 50u);
  EXPECT_DOUBLE_EQ(batch.incidentEnergies[49], 1024.0);
  EXPECT_FLOAT_EQ(batch.row(3)[5], static_cast<float>((3 * 368 + 5) / 7.0));
  const auto summary = summarizeShowers(reader, ShowerGeometry::forParticle(Particle::kPhotons));
  ASSERT_EQ(summary.energyPoints.size(), 1u);
  EXPECT_EQ(summary.energyPoints[0].events, 50u);
}

TEST(ShowerFile, BoloFilesOpenInH5pyAndPandas) {
  if (!systemPythonHasH5py())
    GTEST_SKIP() << "/usr/bin/python3 with h5py, numpy and pandas not installed";
  test::TempDir dir;
  const auto batch = makeBatch(20, 6);
  writeShowerFile(dir / "g.h5", batch);
  const auto result = runPython(
      "import h5py, pandas as pd\n"
      "f = h5py.File('" +
      (dir / "g.h5").string() +
      "', 'r')\n"
      "assert f['incident_energies'].shape == (20, 1), f['incident_energies'].shape\n"
      "assert f['showers'].shape == (20, 6)\n"
      "assert str(f['showers'].dtype) == 'float32'\n"
      "df = pd.DataFrame(f['showers'][:])\n"
      "print(df.shape[0], float(df.iloc[1, 2]), float(f['incident_energies'][2, 0]))\n");
  ASSERT_EQ(result.exitCode, 0) << result.err;
  EXPECT_EQ(result.out, "20 4.5 1024.0\n");  // row 1, voxel 2: (1*7+2)%13 * 0.5
}

TEST(ShowerFileErrors, MissingAndNonHdf5Files) {
  test::TempDir dir;
  EXPECT_NE(expectInputError([&] { ShowerFileReader r(dir / "absent.h5"); }).find("not found"),
            std::string::npos);
  std::ofstream(dir / "text.h5") << "this is not HDF5\n";
  EXPECT_NE(expectInputError([&] { ShowerFileReader r(dir / "text.h5"); }).find("not an HDF5 file"),
            std::string::npos);
}

TEST(ShowerFileErrors, TruncatedFile) {
  test::TempDir dir;
  writeShowerFile(dir / "t.h5", makeBatch(3000, 50), {ShowerPrecision::kFloat32, 500, 0});
  fs::resize_file(dir / "t.h5", fs::file_size(dir / "t.h5") / 2);
  // Either opening or reading must fail with an InputError; never a crash or silent data.
  expectInputError([&] {
    ShowerFileReader r(dir / "t.h5");
    r.readAll();
  });
}

// Bad files on purpose: the writer checks values as the reader does unless told not to.
const ShowerWriterOptions kUnchecked{ShowerPrecision::kFloat32, 1000, 4, false};

TEST(ShowerFileErrors, BadValuesAreNamed) {
  test::TempDir dir;
  auto nan = makeBatch(4, 3);
  nan.row(2)[1] = std::numeric_limits<float>::quiet_NaN();
  writeShowerFile(dir / "nan.h5", nan, kUnchecked);
  EXPECT_NE(
      expectInputError([&] { ShowerFileReader(dir / "nan.h5").readAll(); }).find("showers[2][1]"),
      std::string::npos);

  auto negative = makeBatch(4, 3);
  negative.row(1)[0] = -1.0f;
  writeShowerFile(dir / "neg.h5", negative, kUnchecked);
  EXPECT_NE(expectInputError([&] { ShowerFileReader(dir / "neg.h5").readAll(); }).find("negative"),
            std::string::npos);

  auto inf = makeBatch(4, 3);
  inf.incidentEnergies[3] = std::numeric_limits<double>::infinity();
  writeShowerFile(dir / "inf.h5", inf, kUnchecked);
  EXPECT_NE(expectInputError([&] {
              ShowerFileReader(dir / "inf.h5").incidentEnergies();
            }).find("incident_energies[3]"),
            std::string::npos);
}

TEST(ShowerFileErrors, ShapeProblemsFromAnotherWriter) {
  if (!systemPythonHasH5py())
    GTEST_SKIP() << "/usr/bin/python3 with h5py, numpy and pandas not installed";
  test::TempDir dir;
  const auto base = dir.path().string();
  const auto result = runPython(
      "import h5py, numpy as np\n"
      "d = '" +
      base +
      "'\n"
      "with h5py.File(d + '/rows.h5', 'w') as f:\n"
      "  f['incident_energies'] = np.ones((5, 1)); f['showers'] = np.ones((4, 3))\n"
      "with h5py.File(d + '/nods.h5', 'w') as f:\n"
      "  f['incident_energies'] = np.ones((5, 1))\n"
      "with h5py.File(d + '/wide.h5', 'w') as f:\n"
      "  f['incident_energies'] = np.ones((5, 2)); f['showers'] = np.ones((5, 3))\n"
      "with h5py.File(d + '/rank3.h5', 'w') as f:\n"
      "  f['incident_energies'] = np.ones((5, 1)); f['showers'] = np.ones((5, 3, 2))\n");
  ASSERT_EQ(result.exitCode, 0) << result.err;
  EXPECT_NE(expectInputError([&] {
              ShowerFileReader r(dir / "rows.h5");
            }).find("5 rows but showers has 4"),
            std::string::npos);
  EXPECT_NE(expectInputError([&] {
              ShowerFileReader r(dir / "nods.h5");
            }).find("missing dataset 'showers'"),
            std::string::npos);
  EXPECT_NE(expectInputError([&] { ShowerFileReader r(dir / "wide.h5"); }).find("(N,1)"),
            std::string::npos);
  EXPECT_NE(expectInputError([&] { ShowerFileReader r(dir / "rank3.h5"); }).find("rank 3"),
            std::string::npos);
}

TEST(ShowerFileErrors, VoxelCountMustMatchGeometry) {
  test::TempDir dir;
  writeShowerFile(dir / "v.h5", makeBatch(3, 367));
  ShowerFileReader reader(dir / "v.h5");
  const auto message = expectInputError(
      [&] { checkVoxelCount(reader, ShowerGeometry::forParticle(Particle::kPhotons)); });
  EXPECT_NE(message.find("367 voxels"), std::string::npos);
  EXPECT_NE(message.find("368"), std::string::npos);
}

TEST(ShowerFileErrors, WriterRefusesWhatTheReaderWouldReject) {
  test::TempDir dir;
  const auto refusal = [&](const ShowerBatch& batch, ShowerWriterOptions options = {}) {
    try {
      writeShowerFile(dir / "bad.h5", batch, options);
    } catch (const bolo::RuntimeFailure& e) {
      EXPECT_FALSE(fs::exists(dir / "bad.h5"));  // nothing left looking complete
      return std::string(e.what());
    }
    return std::string("written");
  };
  // 1e300 MeV is finite as a double but inf once stored as float32: the report's case.
  auto huge = makeBatch(4, 3);
  huge.incidentEnergies[2] = 1e300;
  EXPECT_NE(refusal(huge).find("incident_energies[2] = 1e+300"), std::string::npos);
  // The same value fits a float64 file, which reads back.
  EXPECT_EQ(refusal(huge, {ShowerPrecision::kFloat64, 1000, 4, true}), "written");
  EXPECT_DOUBLE_EQ(ShowerFileReader(dir / "bad.h5").incidentEnergies()[2], 1e300);
  fs::remove(dir / "bad.h5");

  auto tiny = makeBatch(4, 3);
  tiny.incidentEnergies[0] = 1e-300;  // rounds to 0 in float32
  EXPECT_NE(refusal(tiny).find("incident_energies[0]"), std::string::npos);
  auto nan = makeBatch(4, 3);
  nan.row(3)[2] = std::numeric_limits<float>::quiet_NaN();
  EXPECT_NE(refusal(nan).find("showers[3][2]"), std::string::npos);
  auto negative = makeBatch(4, 3);
  negative.row(0)[1] = -1.0f;
  EXPECT_NE(refusal(negative).find("showers[0][1] = -1"), std::string::npos);
}
