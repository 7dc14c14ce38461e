#include <gtest/gtest.h>

#include "batch/GridCommand.hpp"
#include "common/Error.hpp"
#include "common/Subprocess.hpp"
#include "tests/batch/BatchTestSupport.hpp"

namespace bolo::batch {

namespace fs = std::filesystem;

namespace {

SiteSpec panda() {
  SiteSpec site;
  site.name = "panda";
  site.backend = BackendKind::kGrid;
  site.gridSite = "ANALY_EXAMPLE_GPU";
  site.container.runtime = "docker";
  site.container.image = "docker://ghcr.io/bolo/bolo:1.0";
  QueueSpec q;
  q.name = "gpu";
  q.resource = "gpu";
  q.label = "nvidia-gpu";
  q.gpusPerSlot = 1;
  site.queues.push_back(q);
  return site;
}

}  // namespace

TEST(GridCommand, ScanOverAnInputDatasetMatchesGolden) {
  const auto site = panda();
  JobRequest r;
  r.name = "scan";
  r.command = {"bolo", "scan", "run", "--input", "{task}", "--output", "result.json"};
  r.resources.gpus = 1;
  r.resources.gpuModel = "V100";
  r.resources.timeMinutes = 120;
  r.arraySize = 800;
  r.outputFiles = {"result.json"};
  const GridNames names{"user.jdoe.bolo.scan.inputs", "user.jdoe.bolo.scan.v1"};
  test::expectGolden("grid_scan.prun",
                     displayCommand(renderPrunArguments(r, site, site.queues[0], names)) + "\n");
}

TEST(GridCommand, SingleTrainingJobMatchesGolden) {
  const auto site = panda();
  JobRequest r;
  r.name = "train pions";
  r.command = {"bolo", "train", "pions", "--seed", "7"};
  r.resources.gpus = 1;
  r.resources.timeMinutes = 1440;
  r.resources.memoryMb = 8000;
  r.inputFiles = {"configs/train.json"};
  r.outputFiles = {"summary.json"};
  const GridNames names{"", "user.jdoe.bolo.train_pions.20261125-120000-abcd"};
  test::expectGolden("grid_train.prun",
                     displayCommand(renderPrunArguments(r, site, site.queues[0], names)) + "\n");
}

// prun hands --exec to a shell on the worker node: run that string with a real bash and
// check the payload gets exactly the hostile arguments and nothing else runs.
TEST(GridCommand, ExecStringIsSafeForTheWorkersShell) {
  const fs::path dir = test::makeTempDir("grid-hostile");
  const std::string side = (dir / "side").string();
  JobRequest r;
  r.name = "hostile";
  r.command = {test::writeArgvPrinter(dir).string()};
  for (const auto& a : test::hostileArguments(side)) r.command.push_back(a);
  const auto site = panda();
  const auto argv = renderPrunArguments(r, site, site.queues[0], {"", "user.jdoe.x"});
  ASSERT_EQ(argv.at(1), "--exec");
  const auto result =
      runProcess({"bash", "-c", argv.at(2)}, dir, "", {{"ARGV_OUT", (dir / "argv").string()}});
  ASSERT_EQ(result.exitCode, 0) << result.err;
  EXPECT_EQ(test::readNulSeparated(dir / "argv"),
            std::vector<std::string>(r.command.begin() + 1, r.command.end()));
  for (const char* suffix : {".dollar", ".backtick", ".single", ".double", ".newline"}) {
    EXPECT_FALSE(fs::exists(side + suffix)) << suffix;
  }
  fs::remove_all(dir);
}

TEST(GridCommand, RefusesWhatPrunWouldRewriteOrMisread) {
  const auto site = panda();
  JobRequest r;
  r.command = {"bolo", "50%IN"};
  EXPECT_THROW(renderPrunArguments(r, site, site.queues[0], {"", "user.jdoe.x"}), InputError);
  r.command = {"bolo"};
  EXPECT_THROW(renderPrunArguments(r, site, site.queues[0], {"", "user.jdoe.x; rm"}), InputError);
  EXPECT_THROW(renderPrunArguments(r, site, site.queues[0], {"--site", "user.jdoe.x"}), InputError);
  r.outputFiles = {"--help"};
  EXPECT_THROW(renderPrunArguments(r, site, site.queues[0], {"", "user.jdoe.x"}), InputError);
  EXPECT_EQ(parsePrunTaskId("INFO : succeeded. new jediTaskID=31415926\n"), "31415926");
}

}  // namespace bolo::batch
