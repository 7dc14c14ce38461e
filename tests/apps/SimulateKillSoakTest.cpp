// Kill soak of `bolo simulate`: a run is killed with SIGKILL at random moments (fixed seed)
// twenty times. After every kill the output file is either absent or complete (all events,
// readable, its manifest says completed): never a partial file under the final name.

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <chrono>
#include <random>
#include <thread>

#include "calo/ShowerFile.hpp"
#include "support/BoloProcess.hpp"
#include "support/TempDir.hpp"

namespace bolo {
namespace {

namespace fs = std::filesystem;

constexpr int kKills = 20;
constexpr std::size_t kEvents = 2 * 400;  // --events 400 at two energies

std::vector<std::string> simulateArgs(const fs::path& out) {
  return {"simulate",   "pions",
          "--events",   "400",
          "--energies", "1024,65536",
          "--seed",     "9",
          "--threads",  "1",
          "--out",      out.string(),
          "--workdir",  out.parent_path().string()};
}

/// Absent, or complete: the final name never holds a partial file. (The manifest beside it
/// is written after the rename, so a kill in between leaves a complete file whose manifest
/// still says "running"; that is allowed.)
bool checkOutput(const fs::path& out) {
  if (!fs::exists(out)) return false;
  const ShowerFileReader reader(out);
  EXPECT_EQ(reader.events(), kEvents);
  EXPECT_NO_THROW((void)reader.readAll());
  return true;
}

TEST(SimulateKillSoak, TwentyKillsNeverLeaveAPartialFile) {
  test::TempDir work("bolo-simulate-soak");
  // One uninterrupted run sets the time scale of the kills: from its start message to its end.
  const fs::path reference = work / "reference.h5";
  const pid_t first = test::spawnBolo(simulateArgs(reference), work / "reference.log");
  ASSERT_TRUE(test::waitForLog(work / "reference.log", "simulating", std::chrono::seconds(120)));
  const auto start = std::chrono::steady_clock::now();
  ASSERT_EQ(test::waitForExit(first), 0) << test::readText(work / "reference.log");
  const auto workMs = std::chrono::duration_cast<std::chrono::milliseconds>(
                          std::chrono::steady_clock::now() - start)
                          .count();
  ASSERT_TRUE(checkOutput(reference));

  std::mt19937 rng(18);
  std::uniform_int_distribution<long> delayMs(0, workMs);
  int survived = 0, completed = 0;
  for (int kill = 0; kill < kKills; ++kill) {
    const fs::path out = work / fmt::format("sim{:02d}.h5", kill);
    const fs::path log = work / fmt::format("sim{:02d}.log", kill);
    const pid_t pid = test::spawnBolo(simulateArgs(out), log);
    ASSERT_TRUE(test::waitForLog(log, "simulating", std::chrono::seconds(120)));
    std::this_thread::sleep_for(std::chrono::milliseconds(delayMs(rng)));
    ::kill(pid, SIGKILL);
    const int status = test::waitForExit(pid);
    if (status == 128 + SIGKILL) {
      ++survived;
    } else {
      ASSERT_EQ(status, 0) << test::readText(log);
    }
    completed += checkOutput(out);
  }
  EXPECT_GT(survived, kKills / 2) << "most kills should land while the run is working";
  std::cout << "[ soak     ] simulate: " << survived << " kills survived, " << completed
            << " runs had completed, no partial file\n";
}

}  // namespace
}  // namespace bolo
