// The container runscript, exercised outside any container against the built bolo: the same
// script is the Docker ENTRYPOINT and the Apptainer %runscript.

#include <gtest/gtest.h>

#include "common/Subprocess.hpp"
#include "support/TempDir.hpp"

namespace {

bolo::ProcessResult runscript(const std::vector<std::string>& args) {
  std::vector<std::string> argv{"bash", std::string(BOLO_SOURCE_DIR) + "/containers/runscript.sh"};
  argv.insert(argv.end(), args.begin(), args.end());
  return bolo::runProcess(argv, {}, {}, {{"BOLO_BIN", BOLO_EXECUTABLE}});
}

}  // namespace

TEST(Runscript, InvalidVerbWarnsAndExits2) {
  const auto r = runscript({"frobnicate"});
  EXPECT_EQ(r.exitCode, 2);
  EXPECT_NE(r.err.find("warning: unknown verb 'frobnicate'"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("valid verbs"), std::string::npos) << r.err;
}

TEST(Runscript, InvalidOrMissingParticleWarnsAndExits2) {
  for (const char* verb : {"train", "bestiter", "simulate", "generate", "export"}) {
    auto r = runscript({verb, "kaons"});
    EXPECT_EQ(r.exitCode, 2) << verb;
    EXPECT_NE(r.err.find("valid particles: pions, photons"), std::string::npos) << r.err;
    r = runscript({verb});
    EXPECT_EQ(r.exitCode, 2) << verb;
  }
}

TEST(Runscript, HelpAndNoArguments) {
  EXPECT_EQ(runscript({"help"}).exitCode, 0);
  const auto none = runscript({});
  EXPECT_EQ(none.exitCode, 2);
  EXPECT_NE(none.out.find("train pions|photons"), std::string::npos);
}

TEST(Runscript, ValidVerbsReachBolo) {
  bolo::test::TempDir dir;
  const auto r = runscript({"init", "--workdir", (dir / "w").string()});
  EXPECT_EQ(r.exitCode, 0) << r.err;
  EXPECT_TRUE(std::filesystem::is_directory(dir / "w" / "configs"));
  EXPECT_EQ(runscript({"--version"}).exitCode, 0);
  EXPECT_EQ(runscript({"gpu-check", "--no-compute"}).exitCode, 0);
}
