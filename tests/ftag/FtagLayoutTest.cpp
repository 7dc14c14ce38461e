// The layout of the flavour-tagging runs: jets, tagger runs, and the scan's folders that the
// verbs and the batch workflow share.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>

#include "common/Error.hpp"
#include "ftag/FtagLayout.hpp"
#include "support/TempDir.hpp"

namespace bolo {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;

TEST(FtagLayout, DefaultsLiveUnderTheWorkDirectoryUnlessAnOptionNamesAPath) {
  const WorkDir dir{"work"};
  EXPECT_EQ(jetFile(dir, ""), fs::path("work/data/jets.h5"));
  EXPECT_EQ(jetFile(dir, "other.h5"), fs::path("other.h5"));
  EXPECT_EQ(jetRecordsDir(dir), fs::path("work/output/jets"));
  EXPECT_EQ(taggerDir(dir), fs::path("work/output/tagger"));
  EXPECT_EQ(bdtDir(dir, ""), fs::path("work/output/tagger/bdt"));
  EXPECT_EQ(bdtDir(dir, "b"), fs::path("b"));
}

TEST(FtagLayout, ScanFolders) {
  const auto layout = scanLayout(WorkDir{"work"}, "");
  EXPECT_EQ(layout.dir, fs::path("work/output/scan"));
  EXPECT_EQ(layout.plan(), fs::path("work/output/scan/plan.json"));
  EXPECT_EQ(layout.jobFile(7), fs::path("work/output/scan/jobs/job_007.json"));
  EXPECT_EQ(layout.jobFileTemplate(), fs::path("work/output/scan/jobs/job_{task:03}.json"));
  EXPECT_EQ(scanLayout(WorkDir{"work"}, "elsewhere").results(), fs::path("elsewhere/results"));
  EXPECT_EQ(resultsDirOfJob("/s/jobs/job_001.json"), fs::path("/s/results"));
  EXPECT_EQ(runRecordDir("/s/results", 3), fs::path("/s/runs/job_003"));
}

TEST(FtagLayout, AMissingOrMalformedPlanIsAnInputError) {
  test::TempDir tmp;
  const ScanLayout layout{tmp.path()};
  try {
    readScanPlanFile(layout);
    FAIL() << "no error";
  } catch (const InputError& e) {
    EXPECT_THAT(e.what(), HasSubstr("run 'bolo scan plan' first"));
  }
  std::ofstream(layout.plan()) << R"({"space": {}})";
  EXPECT_THROW(readScanPlanFile(layout), InputError);
}

}  // namespace
}  // namespace bolo
