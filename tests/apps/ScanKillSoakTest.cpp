// Kill soak of `bolo scan run`: one scan job of sixteen tiny combinations is killed with SIGKILL
// at random moments (fixed seed) twenty times and rerun each time. After every kill each
// result file is complete and names its own combination, no result disappears, and the final
// run trains only what was missing: every combination's result exactly once.

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <chrono>
#include <nlohmann/json.hpp>
#include <random>
#include <set>
#include <thread>

#include "common/AtomicFile.hpp"
#include "support/BoloProcess.hpp"
#include "support/TempDir.hpp"

namespace bolo {
namespace {

namespace fs = std::filesystem;

constexpr int kKills = 20;
constexpr std::size_t kCombinations = 16;

/// The results on disk by combination id; every visible file must be a complete result of
/// the combination its name says.
std::set<std::string> completeResults(const fs::path& dir) {
  std::set<std::string> ids;
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) return ids;
  for (const auto& entry : fs::directory_iterator(dir)) {
    const auto name = entry.path().filename().string();
    if (name[0] == '.') continue;  // a temporary file of an interrupted atomic write
    const auto json = nlohmann::json::parse(readFile(entry.path()), nullptr, false);
    EXPECT_FALSE(json.is_discarded()) << "partial result left looking complete: " << name;
    if (json.is_discarded()) continue;
    const auto id = json.at("id").get<std::string>();
    EXPECT_EQ(name, id + ".json");
    EXPECT_TRUE(ids.insert(id).second);
  }
  return ids;
}

TEST(ScanKillSoak, TwentyKillsLeaveEveryCombinationsResultExactlyOnce) {
  test::TempDir work("bolo-scan-soak");
  fs::create_directories(work.path() / "configs");
  writeFileAtomically(work / "configs/jets.json",
                      R"({"train": 600, "validation": 200, "test": 200, "template_jets": 200,
                          "seed": 5})");
  writeFileAtomically(work / "space.json", R"({
      "method": "grid",
      "dimensions": {"layer1": [8, 16], "layer2": [8, 12], "layer3": [4],
                     "learning_rate": [0.003, 0.01], "batch_size": [64, 128],
                     "activation": ["relu"]},
      "training": {"epochs": 2, "patience": 0}})");
  const std::string workdir = work.path().string();
  ASSERT_EQ(test::runBoloUnderFileLimit({"jets", "--workdir", workdir}, RLIM_INFINITY).exitCode, 0);
  const fs::path scan = work / "scan";
  ASSERT_EQ(test::runBoloUnderFileLimit(
                {"scan", "plan", "--space", (work / "space.json").string(), "--jobs", "1",
                 "--scan-dir", scan.string(), "--workdir", workdir},
                RLIM_INFINITY)
                .exitCode,
            0);
  const fs::path job = scan / "jobs" / "job_000.json";
  const std::vector<std::string> run = {"scan", "run", job.string(), "--workdir", workdir};

  // How long the training part of the job takes on this machine, from a copy of the job
  // writing elsewhere: the kills are drawn within it, so that they land while combinations
  // train, however fast or slow the machine is.
  const fs::path timingDir = work / "timing";
  ASSERT_EQ(test::runBoloUnderFileLimit(
                {"scan", "plan", "--space", (work / "space.json").string(), "--jobs", "1",
                 "--scan-dir", timingDir.string(), "--workdir", workdir},
                RLIM_INFINITY)
                .exitCode,
            0);
  const pid_t timing = test::spawnBolo(
      {"scan", "run", (timingDir / "jobs" / "job_000.json").string(), "--workdir", workdir},
      work / "timing.log");
  ASSERT_TRUE(test::waitForLog(work / "timing.log", "combinations on", std::chrono::seconds(120)));
  const auto trainingStart = std::chrono::steady_clock::now();
  ASSERT_EQ(test::waitForExit(timing), 0) << test::readText(work / "timing.log");
  const auto trainingMs = std::chrono::duration_cast<std::chrono::milliseconds>(
                              std::chrono::steady_clock::now() - trainingStart)
                              .count();

  // A random moment (fixed seed) once the job has loaded its jets (the start-up time is the
  // machine's, so it is waited for), within the time of about one combination: most kills
  // land while a combination trains, and a run still gets one done now and then.
  std::mt19937 rng(17);
  std::uniform_int_distribution<long long> delayMs(
      0, trainingMs / static_cast<long long>(kCombinations));
  std::set<std::string> before;
  int runs = 0;
  int survived = 0;
  for (int kill = 0; kill < kKills && before.size() < kCombinations; ++kill) {
    ++runs;
    const fs::path log = work / fmt::format("run{:02d}.log", kill);
    const pid_t pid = test::spawnBolo(run, log);
    ASSERT_TRUE(test::waitForLog(log, "combinations on", std::chrono::seconds(120)))
        << test::readText(log);
    std::this_thread::sleep_for(std::chrono::milliseconds(delayMs(rng)));
    ::kill(pid, SIGKILL);
    const int status = test::waitForExit(pid);
    if (status != 128 + SIGKILL) {
      ASSERT_EQ(status, 0) << test::readText(log);  // it finished before the kill came
    } else {
      ++survived;
    }
    const auto now = completeResults(scan / "results");
    for (const auto& id : before) EXPECT_TRUE(now.count(id)) << "result " << id << " vanished";
    before = now;
  }

  const auto final = test::runBoloUnderFileLimit(
      {"scan", "run", job.string(), "--workdir", workdir, "--json"}, RLIM_INFINITY);
  ASSERT_EQ(final.exitCode, 0) << final.err;
  const auto summary = nlohmann::json::parse(final.out);
  EXPECT_EQ(summary.at("skipped").get<std::size_t>(), before.size())
      << "a finished combination was trained again";
  EXPECT_EQ(completeResults(scan / "results").size(), kCombinations);
  // The soak must have soaked: most runs were killed before finishing (a run can finish first
  // only when its kill is drawn near the end of what was left), and enough of them to matter.
  // Counted against the runs made, not kKills: on a machine faster than the timing run the
  // results can all be in before the twentieth kill, which ends the loop early.
  EXPECT_GE(2 * survived, runs) << "training took " << trainingMs << " ms";
  EXPECT_GE(survived, 5) << "training took " << trainingMs << " ms";
  std::cout << "[ soak     ] scan run: " << survived << " of " << runs << " runs killed, "
            << before.size() << " of " << kCombinations << " results kept before the last run\n";
}

}  // namespace
}  // namespace bolo
