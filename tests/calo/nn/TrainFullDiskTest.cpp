// A full disk while `bolo train` writes a checkpoint: under a file-size limit smaller than one
// archive (RLIMIT_FSIZE, SIGXFSZ ignored, so writes fail with EFBIG), the resumed training
// exits 1 naming the reason, the previous checkpoint stays complete and latest, no partial
// archive or temporary file is left, and a later resume with room continues from it.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "GanTestSupport.hpp"
#include "calo/ShowerGeometry.hpp"
#include "calo/nn/Checkpoint.hpp"
#include "support/BoloProcess.hpp"

namespace bolo {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;

TEST(TrainFullDisk, CheckpointWriteFailsCleanlyAndThePreviousOneStays) {
  test::TempDir dir("train-full-disk");
  fs::create_directories(dir.path() / "configs");
  nlohmann::json gan = toJson(test::tinyGanConfig());
  gan["iterations"] = 6;
  gan["checkpoint_every"] = 3;
  std::ofstream(dir.path() / "configs" / "train.json")
      << nlohmann::json{{"seed", 3}, {"pions", gan}}.dump(2);
  const auto voxels = ShowerGeometry::forParticle(Particle::kPions).voxelCount();
  writeShowerFile(dir.path() / "data" / "pions_reference.h5",
                  test::syntheticShowers(voxels, {1024, 65536}, 30));
  auto args = [&](const std::string& iterations) {
    return std::vector<std::string>{"train",     "pions",      "--workdir",    dir.path().string(),
                                    "--threads", "1",          "--device",     "cpu",
                                    "--resume",  "--no-plots", "--iterations", iterations};
  };
  ASSERT_EQ(test::runBoloUnderFileLimit(args("6"), RLIM_INFINITY).exitCode, 0);
  const fs::path checkpoints = dir.path() / "checkpoints" / "pions" / "all";
  const auto before = nn::latestCheckpoint(checkpoints);
  ASSERT_TRUE(before);
  ASSERT_EQ(before->iteration, 6);
  const auto archiveBytes = fs::file_size(before->archive);
  const auto crcBefore = nn::fileCrc32(before->archive);

  const auto full = test::runBoloUnderFileLimit(args("12"), archiveBytes / 2);
  EXPECT_EQ(full.exitCode, 1) << full.err;
  EXPECT_THAT(full.err, HasSubstr("File too large"));
  EXPECT_THAT(full.err, HasSubstr("iter_000000009.pt"));
  EXPECT_THAT(full.err, ::testing::Not(HasSubstr("internal error")));
  const auto after = nn::latestCheckpoint(checkpoints);
  ASSERT_TRUE(after);
  EXPECT_EQ(after->iteration, 6);
  EXPECT_EQ(nn::checkpointProblem(after->sidecar), "");
  EXPECT_EQ(nn::fileCrc32(after->archive), crcBefore);
  EXPECT_FALSE(fs::exists(checkpoints / "iter_000000009.pt"));
  EXPECT_FALSE(fs::exists(checkpoints / "iter_000000009.json"));
  EXPECT_THAT(test::temporaryFiles(dir.path()), ::testing::IsEmpty());

  const auto resumed = test::runBoloUnderFileLimit(args("12"), RLIM_INFINITY);
  ASSERT_EQ(resumed.exitCode, 0) << resumed.err;
  EXPECT_THAT(resumed.err, HasSubstr("(iteration 6)"));
  EXPECT_EQ(nn::latestCheckpoint(checkpoints)->iteration, 12);
}

}  // namespace
}  // namespace bolo
