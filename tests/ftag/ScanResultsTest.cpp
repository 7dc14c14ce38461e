// Collecting scan results: missing, failed, duplicated, corrupted and unknown results.

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "common/AtomicFile.hpp"
#include "common/Error.hpp"
#include "ftag/ScanResults.hpp"

namespace bolo {
namespace {

namespace fs = std::filesystem;

ScanResult resultOf(const ScanCombination& c, double loss,
                    const std::string& status = "completed") {
  ScanResult r;
  r.combination = c;
  r.status = status;
  r.bestValidationLoss = loss;
  r.epochs = 4;
  r.device = "cpu";
  if (status == "failed") {
    r.reason = "diverged";
    r.bestValidationLoss = std::numeric_limits<double>::quiet_NaN();
  }
  return r;
}

TEST(ScanResults, CollectReportsEveryKindOfGap) {
  const fs::path dir = fs::temp_directory_path() / ("bolo-collect-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  ScanSpace space;
  space.method = "random";
  space.samples = 8;
  const auto plan = planScan(space).combinations;
  ScanSpace other;  // a combination from outside the plan
  other.layer1 = {999};
  const auto stranger = planScan(other).combinations.front();

  writeScanResult(dir / "a", resultOf(plan[0], 0.40));
  writeScanResult(dir / "a", resultOf(plan[1], 0.30));
  writeScanResult(dir / "a", resultOf(plan[2], 0.0, "failed"));
  writeScanResult(dir / "a", resultOf(plan[3], 0.50));
  writeScanResult(dir / "b", resultOf(plan[3], 0.45));      // duplicate: the lower loss is kept
  writeScanResult(dir / "b", resultOf(stranger, 0.1));      // not in the plan
  std::ofstream(dir / "b" / "broken.json") << "{\"id\": ";  // truncated JSON
  auto wrongType = toJson(resultOf(plan[4], 0.2));
  wrongType["epochs"] = "four";
  writeFileAtomically(dir / "b" / (plan[4].id + ".json"), wrongType.dump());
  // plan[5..7] have no result at all.

  const auto c = collectScanResults(plan, {dir / "a", dir / "b"});
  ASSERT_EQ(c.completed.size(), 3u);
  EXPECT_EQ(c.completed[0].combination.id, plan[1].id);  // sorted by loss
  EXPECT_DOUBLE_EQ(c.completed[1].bestValidationLoss, 0.40);
  EXPECT_DOUBLE_EQ(c.completed[2].bestValidationLoss, 0.45);
  ASSERT_EQ(c.failed.size(), 1u);
  EXPECT_EQ(c.failed[0].reason, "diverged");
  EXPECT_EQ(c.duplicates, std::vector<std::string>{plan[3].id});
  EXPECT_EQ(c.unknown.size(), 1u);
  ASSERT_EQ(c.corrupted.size(), 2u);
  EXPECT_NE(c.corrupted[0].second.find("malformed JSON"), std::string::npos);
  EXPECT_NE(c.corrupted[1].second.find("epochs"), std::string::npos);
  EXPECT_EQ(c.missing.size(), 4u);  // plan[4] (corrupted) and plan[5..7]

  EXPECT_EQ(selectByRank(c, "best").combination.id, plan[1].id);
  EXPECT_EQ(selectByRank(c, "medium").combination.id, plan[0].id);
  EXPECT_EQ(selectByRank(c, "worst").combination.id, plan[3].id);
  EXPECT_THROW(selectByRank(c, "average"), InputError);

  const auto csv = scanTableCsv(c);
  EXPECT_EQ(csv.substr(0, csv.find(',')), "id");
  EXPECT_EQ(std::count(csv.begin(), csv.end(), '\n'), 5);  // header + 3 completed + 1 failed
  const auto report = reportJson(c);
  EXPECT_EQ(report.at("missing").size(), 4u);
  EXPECT_EQ(report.at("best").at("id"), plan[1].id);
  fs::remove_all(dir);
}

TEST(ScanResults, ResultJsonRoundTripsAndIsStrict) {
  const auto plan = planScan(ScanSpace{}).combinations;
  const auto r = resultOf(plan[7], 0.3456);
  const auto back = scanResultFromJson(toJson(r), "r.json");
  EXPECT_EQ(back.combination.id, plan[7].id);
  EXPECT_DOUBLE_EQ(back.bestValidationLoss, 0.3456);
  auto json = toJson(r);
  json.erase("best_validation_loss");
  EXPECT_THROW(scanResultFromJson(json, "r.json"), InputError);
  auto failed = toJson(resultOf(plan[7], 0, "failed"));
  EXPECT_EQ(scanResultFromJson(failed, "f.json").status, "failed");
}

}  // namespace
}  // namespace bolo
