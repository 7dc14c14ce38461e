// End to end through the bolo program with tiny sizes: jets -> tagger train -> roc (-> bdt),
// and the scan: plan -> run (killed by SIGTERM, then resumed) -> collect -> retrain.

#include <gtest/gtest.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>

#include "common/AtomicFile.hpp"
#include "common/ConfigReader.hpp"
#include "common/Subprocess.hpp"

extern char** environ;

namespace bolo {
namespace {

namespace fs = std::filesystem;

class TaggerCliTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    work = fs::temp_directory_path() / ("bolo-ftag-cli-" + std::to_string(::getpid()));
    fs::remove_all(work);
    fs::create_directories(work / "configs");
    writeFileAtomically(
        work / "configs" / "jets.json",
        R"({"train": 1500, "validation": 500, "test": 1500, "template_jets": 500, "seed": 5})");
    writeFileAtomically(
        work / "configs" / "tagger.json",
        R"({"network": {"hidden": [16, 8], "epochs": 3, "patience": 0, "batch_size": 128}})");
    writeFileAtomically(work / "configs" / "bdt.json", R"({"trees": 20, "threads": 1})");
    writeFileAtomically(work / "space.json", R"({
      "method": "grid",
      "dimensions": {"layer1": [8, 16], "layer2": [8], "layer3": [4], "learning_rate": [0.003, 0.01],
                     "batch_size": [128], "activation": ["relu"]},
      "training": {"epochs": 2, "patience": 0}})");
    const auto r = bolo({"jets"});
    ASSERT_EQ(r.exitCode, 0) << r.err;
  }
  static void TearDownTestSuite() { fs::remove_all(work); }

  static ProcessResult bolo(std::vector<std::string> args) {
    args.insert(args.begin(), BOLO_EXECUTABLE);
    args.push_back("--workdir");
    args.push_back(work.string());
    return runProcess(args);
  }

  static fs::path work;
};

fs::path TaggerCliTest::work;

TEST_F(TaggerCliTest, TrainThenRoc) {
  auto r = bolo({"tagger", "train", "--run", "tiny"});
  ASSERT_EQ(r.exitCode, 0) << r.err;
  const fs::path model = work / "output" / "tagger" / "tiny";
  for (const char* f : {"model.pt", "tagger.json", "preprocessing.json", "history.csv", "scores.h5",
                        "config.json", "manifest.json"}) {
    EXPECT_TRUE(fs::exists(model / f)) << f;
  }
  EXPECT_EQ(readJsonFile((model / "history.json").string()).at("validation_loss").size(), 3u);
  EXPECT_EQ(readJsonFile((model / "manifest.json").string()).at("status"), "completed");

  r = bolo({"tagger", "roc", "--run", "tiny", "--json", "--no-plots"});
  ASSERT_EQ(r.exitCode, 0) << r.err;
  const auto performance = nlohmann::json::parse(r.out);
  const auto& wps = performance.at("tagger").at("working_points");
  ASSERT_EQ(wps.size(), 4u);
  EXPECT_DOUBLE_EQ(wps[2].at("b_efficiency_target").get<double>(), 0.77);
  // 375 b-jets in the test split: the 77 % cut keeps round(0.77 * 375) = 289 of them.
  EXPECT_EQ(wps[2].at("b").at("passed"), 289);
  EXPECT_EQ(performance.at("tagger").at("f_c_scan").at("points").size(), 51u);

  r = bolo({"tagger", "roc", "--run", "absent"});
  EXPECT_EQ(r.exitCode, 2);
  EXPECT_NE(r.err.find("no scores.h5"), std::string::npos) << r.err;
}

TEST_F(TaggerCliTest, BdtBaselineOrClearEnvironmentError) {
  const auto r = bolo({"tagger", "bdt", "--json"});
  if (r.exitCode == 3) {
    EXPECT_NE(r.err.find("without XGBoost"), std::string::npos) << r.err;
    return;
  }
  ASSERT_EQ(r.exitCode, 0) << r.err;
  EXPECT_TRUE(fs::exists(work / "output" / "tagger" / "bdt" / "scores.h5"));
}

TEST_F(TaggerCliTest, BadSpaceIsRejectedWithItsPath) {
  writeFileAtomically(work / "bad.json",
                      R"({"dimensions": {"layer1": [8], "layer2": [8], "layer3": [4],
      "learning_rate": [-0.01], "batch_size": [128], "activation": ["relu"]}})");
  const auto r = bolo({"scan", "plan", "--space", (work / "bad.json").string(), "--scan-dir",
                       (work / "bad").string()});
  EXPECT_EQ(r.exitCode, 2);
  EXPECT_NE(r.err.find("dimensions.learning_rate[0]"), std::string::npos) << r.err;
}

TEST_F(TaggerCliTest, ScanSurvivesSigtermAndResumes) {
  const fs::path scan = work / "scan";
  auto r = bolo({"scan", "plan", "--space", (work / "space.json").string(), "--jobs", "1",
                 "--scan-dir", scan.string()});
  ASSERT_EQ(r.exitCode, 0) << r.err;
  const fs::path job = scan / "jobs" / "job_000.json";
  ASSERT_TRUE(fs::exists(job));

  // Start the job, wait for its first result, then SIGTERM it: exit 75, results intact.
  const std::vector<std::string> args = {BOLO_EXECUTABLE, "-q",        "scan",       "run",
                                         job.string(),    "--workdir", work.string()};
  std::vector<char*> argv;
  for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  pid_t pid = 0;
  ASSERT_EQ(posix_spawn(&pid, argv[0], nullptr, nullptr, argv.data(), environ), 0);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  auto results = [&] {
    std::size_t n = 0;
    if (fs::exists(scan / "results")) {
      for (const auto& e : fs::directory_iterator(scan / "results"))
        n += e.path().filename().string()[0] != '.';
    }
    return n;
  };
  while (results() == 0 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  ::kill(pid, SIGTERM);
  int status = 0;
  ::waitpid(pid, &status, 0);
  ASSERT_TRUE(WIFEXITED(status));
  const std::size_t before = results();
  if (before < 4) {
    EXPECT_EQ(WEXITSTATUS(status), 75);  // otherwise it finished before the signal
  }
  ASSERT_GE(before, 1u);

  r = bolo({"scan", "run", job.string(), "--json"});
  ASSERT_EQ(r.exitCode, 0) << r.err;
  const auto summary = nlohmann::json::parse(r.out);
  EXPECT_EQ(summary.at("skipped").get<std::size_t>(), before);
  EXPECT_EQ(results(), 4u);

  std::ofstream(scan / "results" / "garbage.json") << "not json";
  r = bolo({"scan", "collect", "--scan-dir", scan.string(), "--json"});
  ASSERT_EQ(r.exitCode, 0) << r.err;
  const auto report = nlohmann::json::parse(r.out);
  EXPECT_EQ(report.at("completed"), 4);
  EXPECT_EQ(report.at("corrupted").size(), 1u);
  EXPECT_TRUE(report.at("missing").empty());
  EXPECT_TRUE(fs::exists(scan / "scan_results.csv"));

  r = bolo({"scan", "retrain", "best", "worst", "--scan-dir", scan.string(), "--json"});
  ASSERT_EQ(r.exitCode, 0) << r.err;
  EXPECT_EQ(nlohmann::json::parse(r.out).at("retrained").size(), 2u);
  EXPECT_TRUE(fs::exists(scan / "retrain" / "summary.json"));
}

}  // namespace
}  // namespace bolo
