// The GAN verbs as users run them: `bolo train`, `bolo generate` on small synthetic files.
// Device errors exit 3, SIGTERM saves a checkpoint and exits 75, --resume continues at the
// right iteration, and the generated file validates against the geometry.

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <future>
#include <nlohmann/json.hpp>
#include <thread>

#include "GanTestSupport.hpp"
#include "calo/ShowerGeometry.hpp"
#include "calo/nn/Checkpoint.hpp"
#include "common/Subprocess.hpp"

namespace bolo {
namespace {

using test::TempDir;
namespace fs = std::filesystem;

/// A workdir with a tiny train.json and a small pions or photons reference file.
struct CliFixture {
  explicit CliFixture(const std::string& tag) : dir(tag) {
    fs::create_directories(dir.path() / "configs");
    fs::create_directories(dir.path() / "data");
    nlohmann::json gan = toJson(test::tinyGanConfig());
    gan["iterations"] = 6;
    gan["checkpoint_every"] = 3;
    nlohmann::json config = {
        {"seed", 3}, {"pions", gan}, {"photons", {{"low", gan}, {"high", gan}}}};
    std::ofstream(dir.path() / "configs" / "train.json") << config.dump(2);
    const auto pions = ShowerGeometry::forParticle(Particle::kPions).voxelCount();
    const auto photons = ShowerGeometry::forParticle(Particle::kPhotons).voxelCount();
    writeShowerFile(dir.path() / "data" / "pions_reference.h5",
                    test::syntheticShowers(pions, {1024, 65536}, 30));
    writeShowerFile(dir.path() / "data" / "photons_reference.h5",
                    test::syntheticShowers(photons, {1024, 4096, 16384}, 30));
  }
  ProcessResult bolo(std::vector<std::string> args) const {
    args.insert(args.begin(), BOLO_EXECUTABLE);
    args.insert(args.end(), {"--workdir", dir.path().string(), "--threads", "1"});
    return runProcess(args);
  }
  /// Start an open-ended pions training in the background; returns its process id.
  pid_t startTraining(const std::string& checkpointEvery) const {
    const std::string workdir = dir.path().string();
    const pid_t child = ::fork();
    if (child == 0) {
      ::execl(BOLO_EXECUTABLE, BOLO_EXECUTABLE, "train", "pions", "--workdir", workdir.c_str(),
              "--threads", "1", "--device", "cpu", "--iterations", "100000000",
              "--checkpoint-every", checkpointEvery.c_str(), "--no-plots",
              static_cast<char*>(nullptr));
      ::_exit(127);
    }
    return child;
  }
  TempDir dir;
};

TEST(TrainCli, TrainsPionsAndGeneratesAValidFile) {
  CliFixture f("cli-pions");
  const auto train = f.bolo({"train", "pions", "--device", "cpu", "--json"});
  ASSERT_EQ(train.exitCode, 0) << train.err;
  const auto summary = nlohmann::json::parse(train.out);
  EXPECT_EQ(summary["gans"][0]["iterations"], 6);
  EXPECT_EQ(nn::listCheckpoints(f.dir.path() / "checkpoints" / "pions" / "all").size(), 2u);
  EXPECT_TRUE(fs::exists(f.dir.path() / "output" / "pions" / "manifest.json"));
  EXPECT_TRUE(fs::exists(f.dir.path() / "output" / "pions" / "config.json"));
  EXPECT_TRUE(fs::exists(f.dir.path() / "output" / "pions" / "all" / "loss.gp"));

  const fs::path out = f.dir.path() / "gen.h5";
  const auto gen = f.bolo({"generate", "pions", "--energies", "1024,65536", "-n", "7", "--out",
                           out.string(), "--device", "cpu", "--json"});
  ASSERT_EQ(gen.exitCode, 0) << gen.err;
  const ShowerFileReader reader(out);
  EXPECT_EQ(reader.events(), 14u);
  EXPECT_EQ(reader.voxels(), ShowerGeometry::forParticle(Particle::kPions).voxelCount());
  // --energies-like: one shower per incident energy of the reference, in its order.
  const fs::path reference = f.dir.path() / "data" / "pions_reference.h5";
  const fs::path like = f.dir.path() / "like.h5";
  const auto matched = f.bolo({"generate", "pions", "--energies-like", reference.string(), "--out",
                               like.string(), "--device", "cpu"});
  ASSERT_EQ(matched.exitCode, 0) << matched.err;
  EXPECT_EQ(ShowerFileReader(like).incidentEnergies(),
            ShowerFileReader(reference).incidentEnergies());
  const auto both = f.bolo({"generate", "pions", "--energies-like", reference.string(), "-n", "3",
                            "--out", like.string(), "--device", "cpu"});
  EXPECT_EQ(both.exitCode, 2) << both.err;
  // Generating pions against the geometry of photons is refused.
  const auto mismatch =
      f.bolo({"generate", "pions", "-n", "2", "--out", (f.dir.path() / "x.h5").string(),
              "--geometry", defaultGeometryPath(Particle::kPhotons), "--device", "cpu"});
  EXPECT_EQ(mismatch.exitCode, 2) << mismatch.err;
  EXPECT_NE(mismatch.err.find("voxels"), std::string::npos) << mismatch.err;
}

TEST(TrainCli, PhotonsTrainTwoGansAndGenerateAcrossTheSplit) {
  CliFixture f("cli-photons");
  // Two devices: the low and high GANs train concurrently, one thread each.
  const auto train = f.bolo({"train", "photons", "--device", "cpu,cpu"});
  ASSERT_EQ(train.exitCode, 0) << train.err;
  EXPECT_EQ(nn::latestCheckpoint(f.dir.path() / "checkpoints" / "photons" / "low")->iteration, 6);
  EXPECT_EQ(nn::latestCheckpoint(f.dir.path() / "checkpoints" / "photons" / "high")->iteration, 6);
  const fs::path out = f.dir.path() / "gen.h5";
  const auto gen = f.bolo({"generate", "photons", "--energies", "1024,4096,16384", "-n", "3",
                           "--out", out.string(), "--device", "cpu"});
  ASSERT_EQ(gen.exitCode, 0) << gen.err;
  EXPECT_EQ(ShowerFileReader(out).events(), 9u);
}

TEST(TrainCli, CudaRequestOnACpuBuildExits3) {
  CliFixture f("cli-cuda");
  const auto r = f.bolo({"train", "pions", "--device", "cuda"});
#if BOLO_CUDA
  GTEST_SKIP() << "CUDA build: the device may be usable";
#endif
  EXPECT_EQ(r.exitCode, 3) << r.err;
  EXPECT_NE(r.err.find("cuda"), std::string::npos);
  EXPECT_EQ(f.bolo({"train", "pions", "--device", "tpu"}).exitCode, 2);
  EXPECT_EQ(f.bolo({"train", "kaons"}).exitCode, 2);
}

TEST(TrainCli, SigtermSavesACheckpointAndResumeContinues) {
  CliFixture f("cli-signal");
  const pid_t child = f.startTraining("1000000");
  ASSERT_GE(child, 0);
  // Wait until training is under way (metrics lines appear), then ask it to stop.
  const fs::path metrics = f.dir.path() / "output" / "pions" / "all" / "metrics.jsonl";
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (std::chrono::steady_clock::now() < deadline && test::readLines(metrics).size() < 5) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  ASSERT_EQ(::kill(child, SIGTERM), 0);
  int status = 0;
  ASSERT_EQ(::waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 75);
  const auto saved = nn::latestCheckpoint(f.dir.path() / "checkpoints" / "pions" / "all");
  ASSERT_TRUE(saved);
  EXPECT_GE(saved->iteration, 5);
  const auto manifest =
      nlohmann::json::parse(std::ifstream(f.dir.path() / "output" / "pions" / "manifest.json"));
  EXPECT_EQ(manifest["status"], "interrupted");

  const long long target = saved->iteration + 4;
  const auto resumed = f.bolo({"train", "pions", "--device", "cpu", "--resume", "--iterations",
                               std::to_string(target), "--checkpoint-every", "1000000", "--json"});
  ASSERT_EQ(resumed.exitCode, 0) << resumed.err;
  const auto summary = nlohmann::json::parse(resumed.out);
  EXPECT_EQ(summary["gans"][0]["start_iteration"], saved->iteration);
  EXPECT_EQ(summary["gans"][0]["iterations"], target);
  // The metrics file continues without gaps or duplicates.
  const auto lines = test::readLines(metrics);
  ASSERT_EQ(static_cast<long long>(lines.size()), target);
  for (std::size_t i = 0; i < lines.size(); ++i) {
    EXPECT_EQ(nlohmann::json::parse(lines[i])["iteration"], static_cast<long long>(i + 1));
  }
}

TEST(TrainCli, BestiterWatchFollowsARunningTraining) {
  CliFixture f("cli-watch");
  const fs::path checkpoints = f.dir.path() / "checkpoints" / "pions" / "all";
  const fs::path report = f.dir.path() / "output" / "pions" / "bestiter" / "bestiter.json";
  const pid_t training = f.startTraining("200");
  ASSERT_GE(training, 0);
  auto waitFor = [](auto condition) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(120);
    while (!condition() && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return condition();
  };
  ASSERT_TRUE(waitFor([&] { return nn::latestCheckpoint(checkpoints).has_value(); }));
  auto watcher = std::async(std::launch::async, [&] {
    return f.bolo({"bestiter", "pions", "--watch", "--poll-seconds", "0.2", "--showers", "50",
                   "--device", "cpu", "--no-plots"});
  });
  // After the watcher's first pass, let the training write at least one more checkpoint,
  // then stop it the way a batch system does: the watcher must score what came after.
  ASSERT_TRUE(waitFor([&] { return fs::exists(report); }));
  const std::size_t seen = nn::listCheckpoints(checkpoints).size();
  ASSERT_TRUE(waitFor([&] { return nn::listCheckpoints(checkpoints).size() > seen; }));
  ASSERT_EQ(::kill(training, SIGTERM), 0);
  int status = 0;
  ASSERT_EQ(::waitpid(training, &status, 0), training);
  EXPECT_EQ(WEXITSTATUS(status), 75);

  ASSERT_EQ(watcher.wait_for(std::chrono::seconds(120)), std::future_status::ready);
  const auto result = watcher.get();
  ASSERT_EQ(result.exitCode, 0) << result.err;
  EXPECT_NE(result.err.find("training still running"), std::string::npos) << result.err;
  // Every checkpoint, including the one written at SIGTERM, is scored exactly once.
  const auto all = nn::listCheckpoints(checkpoints);
  const auto scores = nlohmann::json::parse(std::ifstream(report));
  const auto& evaluations = scores["gans"]["all"]["evaluations"];
  ASSERT_EQ(evaluations.size(), all.size());
  for (std::size_t i = 0; i < all.size(); ++i) {
    EXPECT_EQ(evaluations[i]["iteration"], all[i].iteration);
  }
  EXPECT_GT(all.size(), seen);
}

TEST(TrainCli, BestiterWatchNoticesAKilledTraining) {
  CliFixture f("cli-watch-killed");
  ASSERT_EQ(f.bolo({"train", "pions", "--device", "cpu", "--no-plots"}).exitCode, 0);
  // What kill -9 leaves behind: the manifest still says running, its process is gone.
  const pid_t gone = ::fork();
  ASSERT_GE(gone, 0);
  if (gone == 0) ::_exit(0);
  ASSERT_EQ(::waitpid(gone, nullptr, 0), gone);
  const fs::path manifestPath = f.dir.path() / "output" / "pions" / "manifest.json";
  auto manifest = nlohmann::json::parse(std::ifstream(manifestPath));
  manifest["status"] = "running";
  manifest["extra"]["pid"] = static_cast<long long>(gone);
  std::ofstream(manifestPath) << manifest.dump(2);

  auto watcher = std::async(std::launch::async, [&] {
    return f.bolo({"bestiter", "pions", "--watch", "--poll-seconds", "0.2", "--showers", "20",
                   "--device", "cpu", "--no-plots"});
  });
  ASSERT_EQ(watcher.wait_for(std::chrono::seconds(120)), std::future_status::ready)
      << "bestiter --watch kept waiting for a training that no longer exists";
  const auto result = watcher.get();
  EXPECT_EQ(result.exitCode, 0) << result.err;
  EXPECT_NE(result.err.find("is gone"), std::string::npos) << result.err;
}

}  // namespace
}  // namespace bolo
