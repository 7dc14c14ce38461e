// Kill soak of `bolo scan run`: one scan job of eight tiny combinations is killed with SIGKILL
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
constexpr std::size_t kCombinations = 8;

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
    const auto id = json.at("combination").at("id").get<std::string>();
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
      "dimensions": {"layer1": [8, 16], "layer2": [8], "layer3": [4],
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

  // A random moment (fixed seed) once the job has loaded its jets: the start-up time is the
  // machine's, so it is waited for.
  std::mt19937 rng(17);
  std::uniform_int_distribution<int> delayMs(0, 2500);
  std::set<std::string> before;
  int survived = 0;
  for (int kill = 0; kill < kKills && before.size() < kCombinations; ++kill) {
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
  std::cout << "[ soak     ] scan run: " << survived << " kills survived, " << before.size()
            << " of " << kCombinations << " results kept before the last run\n";
}

}  // namespace
}  // namespace bolo
