// A full disk while writing a shower file or a scan result: the program runs under a
// file-size limit (RLIMIT_FSIZE, SIGXFSZ ignored, so writes fail with EFBIG as on a full disk
// or quota). It must exit 1 naming the file and the reason, and leave no partial output: no
// file under the final name, no temporary file.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "common/AtomicFile.hpp"
#include "support/BoloProcess.hpp"
#include "support/TempDir.hpp"

namespace bolo {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;

TEST(FullDisk, SimulateExitsOneAndLeavesNoPartialShowerFile) {
  test::TempDir work("bolo-full-disk-simulate");
  const fs::path out = work / "data" / "pions.h5";
  // About 1.7 MB of showers against a 256 KiB limit; the logs and records are far smaller.
  const auto run = test::runBoloUnderFileLimit(
      {"simulate", "pions", "--events", "400", "--energies", "1024,65536", "--threads", "1",
       "--out", out.string(), "--workdir", work.path().string()},
      256 * 1024);
  EXPECT_EQ(run.exitCode, 1) << run.err;
  EXPECT_THAT(run.err, HasSubstr("File too large"));
  EXPECT_THAT(run.err, HasSubstr("pions.h5"));
  EXPECT_THAT(run.err, ::testing::Not(HasSubstr("internal error")));
  EXPECT_FALSE(fs::exists(out));
  EXPECT_THAT(test::temporaryFiles(work.path()), ::testing::IsEmpty());

  // The same run with room succeeds: the failure was the disk, not the request.
  const auto again = test::runBoloUnderFileLimit(
      {"simulate", "pions", "--events", "400", "--energies", "1024,65536", "--threads", "1",
       "--out", out.string(), "--workdir", work.path().string()},
      RLIM_INFINITY);
  EXPECT_EQ(again.exitCode, 0) << again.err;
  EXPECT_TRUE(fs::exists(out));
}

TEST(FullDisk, ScanRunExitsOneAndLeavesNoPartialResult) {
  test::TempDir work("bolo-full-disk-scan");
  fs::create_directories(work.path() / "configs");
  writeFileAtomically(work / "configs/jets.json",
                      R"({"train": 600, "validation": 200, "test": 200, "template_jets": 200})");
  writeFileAtomically(work / "space.json", R"({"method": "grid",
      "dimensions": {"layer1": [8], "layer2": [8], "layer3": [4], "learning_rate": [0.01],
                     "batch_size": [128], "activation": ["relu", "tanh"]},
      "training": {"epochs": 1, "patience": 0}})");
  const std::string workdir = work.path().string();
  const fs::path scan = work / "scan";
  ASSERT_EQ(test::runBoloUnderFileLimit({"jets", "--workdir", workdir}, RLIM_INFINITY).exitCode, 0);
  ASSERT_EQ(test::runBoloUnderFileLimit(
                {"scan", "plan", "--space", (work / "space.json").string(), "--jobs", "1",
                 "--scan-dir", scan.string(), "--workdir", workdir},
                RLIM_INFINITY)
                .exitCode,
            0);
  const std::vector<std::string> run = {"scan", "run", (scan / "jobs/job_000.json").string(),
                                        "--workdir", workdir};
  // A result is about a kilobyte of JSON: 300 bytes cannot hold one.
  const auto full = test::runBoloUnderFileLimit(run, 300);
  EXPECT_EQ(full.exitCode, 1) << full.err;
  EXPECT_THAT(full.err, HasSubstr("File too large"));
  EXPECT_THAT(full.err, ::testing::Not(HasSubstr("internal error")));
  EXPECT_THAT(test::temporaryFiles(scan), ::testing::IsEmpty());
  std::error_code ec;
  if (fs::is_directory(scan / "results", ec)) {
    for (const auto& entry : fs::directory_iterator(scan / "results"))
      EXPECT_FALSE(nlohmann::json::parse(readFile(entry.path()), nullptr, false).is_discarded())
          << entry.path();
  }
  const auto again = test::runBoloUnderFileLimit(run, RLIM_INFINITY);
  EXPECT_EQ(again.exitCode, 0) << again.err;
}

}  // namespace
}  // namespace bolo
