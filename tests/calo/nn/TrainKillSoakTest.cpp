// Kill soak of `bolo train`: a tiny pions training is killed with SIGKILL at random moments
// (fixed seed) twenty times and resumed each time. After every kill: each checkpoint on disk
// is either complete (sidecar, size and crc32 agree) or skipped, the resumed run starts from
// the latest complete one, metrics.jsonl has no gap or duplicate, and at most one checkpoint
// interval of work is lost. Once, the newest archive is also truncated by hand, and the resume
// must fall back to the one before. Figures in docs/reliability.md.

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <chrono>
#include <nlohmann/json.hpp>
#include <random>
#include <regex>
#include <thread>

#include "GanTestSupport.hpp"
#include "calo/ShowerGeometry.hpp"
#include "calo/nn/Checkpoint.hpp"
#include "support/BoloProcess.hpp"

namespace bolo {
namespace {

namespace fs = std::filesystem;

constexpr int kKills = 20;
constexpr long long kCheckpointEvery = 20;
constexpr long long kMetricsEvery = 4;

struct TrainSoak {
  TrainSoak() : dir("train-soak") {
    fs::create_directories(dir.path() / "configs");
    nlohmann::json gan = toJson(test::tinyGanConfig());
    gan["checkpoint_every"] = kCheckpointEvery;
    gan["metrics_every"] = kMetricsEvery;
    std::ofstream(dir.path() / "configs" / "train.json")
        << nlohmann::json{{"seed", 3}, {"pions", gan}}.dump(2);
    const auto voxels = ShowerGeometry::forParticle(Particle::kPions).voxelCount();
    writeShowerFile(dir.path() / "data" / "pions_reference.h5",
                    test::syntheticShowers(voxels, {1024, 65536}, 30));
  }
  std::vector<std::string> args(long long iterations) const {
    return {"train",
            "pions",
            "--workdir",
            dir.path().string(),
            "--threads",
            "1",
            "--device",
            "cpu",
            "--resume",
            "--no-plots",
            "--iterations",
            std::to_string(iterations),
            "--checkpoint-every",
            std::to_string(kCheckpointEvery)};
  }
  fs::path checkpoints() const { return dir.path() / "checkpoints" / "pions" / "all"; }
  fs::path metrics() const { return dir.path() / "output" / "pions" / "all" / "metrics.jsonl"; }
  test::TempDir dir;
};

/// The iterations of metrics.jsonl; a torn last line (kill during a write) is allowed and
/// reported through `torn`.
std::vector<long long> metricIterations(const fs::path& file, bool* torn) {
  std::vector<long long> out;
  const auto lines = test::readLines(file);
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const auto record = nlohmann::json::parse(lines[i], nullptr, false);
    if (record.is_discarded()) {
      EXPECT_EQ(i + 1, lines.size()) << "torn line in the middle of " << file;
      if (torn) *torn = true;
      continue;
    }
    out.push_back(record.at("iteration").get<long long>());
  }
  return out;
}

/// The last complete record's iteration (0 when none), read leniently while a run appends.
long long lastIteration(const fs::path& file) {
  long long last = 0;
  for (const auto& line : test::readLines(file)) {
    const auto record = nlohmann::json::parse(line, nullptr, false);
    if (record.is_object() && record.contains("iteration") && record["iteration"].is_number())
      last = record["iteration"].get<long long>();
  }
  return last;
}

/// Every sidecar on disk describes a complete archive (except `spoiled`, the one the test cut
/// by hand, until the training writes it again); at most one archive has no sidecar (the one
/// being written when the kill came). Returns the latest complete iteration (0 if none).
long long checkCheckpoints(const fs::path& dir, const fs::path& spoiled = {}) {
  long long latest = 0;
  int withoutSidecar = 0;
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) return 0;
  for (const auto& entry : fs::directory_iterator(dir)) {
    const auto& path = entry.path();
    if (path.filename().string().rfind("iter_", 0) != 0) continue;
    if (path.extension() == ".json") {
      nlohmann::json meta;
      const auto problem = nn::checkpointProblem(path, &meta);
      if (path != spoiled) {
        EXPECT_EQ(problem, "") << path;
      }
      if (problem.empty()) latest = std::max(latest, meta["iteration"].get<long long>());
    } else if (path.extension() == ".pt" &&
               !fs::exists(fs::path(path).replace_extension(".json"))) {
      ++withoutSidecar;
    }
  }
  EXPECT_LE(withoutSidecar, 1);
  const auto listed = nn::latestCheckpoint(dir);
  EXPECT_EQ(listed ? listed->iteration : 0, latest);
  return latest;
}

/// "resuming from ... (iteration N)" in a run's log, or -1 when it started afresh / not yet.
long long resumedFrom(const std::string& log) {
  static const std::regex pattern(R"(resuming from .* \(iteration (\d+)\))");
  std::smatch match;
  return std::regex_search(log, match, pattern) ? std::stoll(match[1]) : -1;
}

TEST(TrainKillSoak, TwentyKillsLoseAtMostOneIntervalEachAndNeverUseACorruptCheckpoint) {
  TrainSoak soak;
  // Each kill comes at a random point of the checkpoint cycle (fixed seed): once the run has
  // passed a random iteration up to two intervals beyond where it resumed, plus a random delay.
  // Progress rather than wall time sets the moment, so the test means the same on a busy
  // machine as on an idle one.
  std::mt19937 rng(16);
  std::uniform_int_distribution<long long> ahead(1, 2 * kCheckpointEvery);
  std::uniform_int_distribution<int> delayMs(0, 200);
  constexpr long long kOpenEnded = 100000000;
  long long expectedResume = 0;  // the latest complete checkpoint when the next run starts
  long long allowedLoss = kCheckpointEvery;
  fs::path spoiled;  // the sidecar of the archive cut by hand
  int survived = 0;
  for (int kill = 0; kill < kKills; ++kill) {
    const fs::path log = soak.dir.path() / fmt::format("run{:02d}.log", kill);
    const pid_t pid = test::spawnBolo(soak.args(kOpenEnded), log);
    // "GAN 'all': N showers, ..." comes after metrics.jsonl was cut back to the checkpoint.
    ASSERT_TRUE(test::waitForLog(log, "showers, ", std::chrono::seconds(180)))
        << test::readText(log);
    const long long target = expectedResume + ahead(rng);
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(180);
    while (lastIteration(soak.metrics()) < target && std::chrono::steady_clock::now() < deadline)
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    ASSERT_GE(lastIteration(soak.metrics()), target) << test::readText(log);
    std::this_thread::sleep_for(std::chrono::milliseconds(delayMs(rng)));
    ASSERT_EQ(::kill(pid, SIGKILL), 0);
    ASSERT_EQ(test::waitForExit(pid), 128 + SIGKILL) << test::readText(log);
    ++survived;

    const std::string text = test::readText(log);
    const long long resumed = resumedFrom(text);
    if (resumed >= 0) {
      EXPECT_EQ(resumed, expectedResume) << "run " << kill << " did not resume from the latest "
                                         << "complete checkpoint\n"
                                         << text;
    } else if (text.find("starting from iteration 0") != std::string::npos) {
      EXPECT_EQ(expectedResume, 0) << text;
    }
    const long long latest = checkCheckpoints(soak.checkpoints(), spoiled);
    EXPECT_GE(latest, expectedResume) << "a complete checkpoint disappeared";

    bool torn = false;
    const auto iterations = metricIterations(soak.metrics(), &torn);
    for (std::size_t i = 0; i < iterations.size(); ++i) {
      ASSERT_EQ(iterations[i], static_cast<long long>(i + 1) * kMetricsEvery)
          << "gap or duplicate in metrics.jsonl after kill " << kill;
    }
    const long long reached = iterations.empty() ? 0 : iterations.back();
    EXPECT_LE(reached - latest, allowedLoss)
        << "kill " << kill << " lost more than one checkpoint interval";
    expectedResume = latest;
    allowedLoss = kCheckpointEvery;

    // Once: the newest archive is cut in half behind the program's back (a torn disk). It
    // must be skipped, and the next run resume from the checkpoint before it.
    if (kill == kKills / 2 && latest >= 2 * kCheckpointEvery) {
      const fs::path archive = soak.checkpoints() / (nn::checkpointStem(latest) + ".pt");
      fs::resize_file(archive, fs::file_size(archive) / 2);
      spoiled = fs::path(archive).replace_extension(".json");
      expectedResume = latest - kCheckpointEvery;
      allowedLoss = 2 * kCheckpointEvery;  // the cut interval plus one lost to the next kill
      EXPECT_EQ(nn::latestCheckpoint(soak.checkpoints())->iteration, expectedResume);
    }
  }
  EXPECT_EQ(survived, kKills);
  EXPECT_GT(expectedResume, 0) << "twenty runs never reached a checkpoint: machine too slow?";

  // The last run completes two more intervals: metrics complete from the first record to the
  // end, the final checkpoint in place.
  const long long target = expectedResume + 2 * kCheckpointEvery;
  const fs::path log = soak.dir.path() / "final.log";
  const pid_t pid = test::spawnBolo(soak.args(target), log);
  ASSERT_EQ(test::waitForExit(pid), 0) << test::readText(log);
  EXPECT_EQ(resumedFrom(test::readText(log)), expectedResume);
  bool torn = false;
  const auto iterations = metricIterations(soak.metrics(), &torn);
  EXPECT_FALSE(torn);
  ASSERT_EQ(iterations.size(), static_cast<std::size_t>(target / kMetricsEvery));
  for (std::size_t i = 0; i < iterations.size(); ++i)
    EXPECT_EQ(iterations[i], static_cast<long long>(i + 1) * kMetricsEvery);
  EXPECT_EQ(checkCheckpoints(soak.checkpoints(), spoiled), target);
  // The unfinished archives of the killed runs were cleaned up by the resume.
  EXPECT_TRUE(test::temporaryFiles(soak.checkpoints()).empty());
  std::cout << "[ soak     ] train: " << survived << " kills survived, resumed to iteration "
            << target << ", no data lost past one interval\n";
}

}  // namespace
}  // namespace bolo
