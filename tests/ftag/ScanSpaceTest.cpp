// The scan plan: the default space, determinism, stable ids, balanced jobs, and bad spaces
// rejected with errors naming the JSON path.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <set>

#include "common/Error.hpp"
#include "ftag/ScanSpace.hpp"

namespace bolo {
namespace {

using ::testing::HasSubstr;

std::string errorOf(const nlohmann::json& space) {
  try {
    scanSpaceFromJson(space);
  } catch (const InputError& e) {
    return e.what();
  }
  return "no error";
}

TEST(ScanSpace, DefaultGridHas800CombinationsWithUniqueIds) {
  const auto plan = planScan(ScanSpace{});
  ASSERT_EQ(plan.combinations.size(), 800u);
  std::set<std::string> ids;
  for (const auto& c : plan.combinations) ids.insert(c.id);
  EXPECT_EQ(ids.size(), 800u);
  EXPECT_EQ(plan.combinations[0].layers, (std::vector<int>{16, 16, 8}));
  EXPECT_EQ(plan.combinations[0].activation, "relu");
  EXPECT_EQ(plan.combinations[1].activation, "tanh");  // activation varies fastest
}

TEST(ScanSpace, PlanIsDeterministicAndIdsDependOnHyperParametersOnly) {
  ScanSpace space;
  space.method = "latin_hypercube";
  space.samples = 60;
  const auto a = planScan(space), b = planScan(space);
  ASSERT_EQ(a.combinations.size(), b.combinations.size());
  for (std::size_t i = 0; i < a.combinations.size(); ++i)
    EXPECT_EQ(a.combinations[i].id, b.combinations[i].id);
  // The same hyper-parameters get the same id in any plan (grid versus Latin hypercube).
  const auto grid = planScan(ScanSpace{});
  std::set<std::string> gridIds;
  for (const auto& c : grid.combinations) gridIds.insert(c.id);
  for (const auto& c : a.combinations) EXPECT_TRUE(gridIds.count(c.id)) << c.id;
  EXPECT_EQ(combinationId({64, 32, 8}, 1e-3, 256, "relu"),
            combinationId({64, 32, 8}, 0.001, 256, "relu"));
  EXPECT_NE(combinationId({64, 32, 8}, 1e-3, 256, "relu"),
            combinationId({64, 32, 8}, 1e-3, 256, "tanh"));
}

TEST(ScanSpace, LatinHypercubeUsesEveryValueEvenly) {
  ScanSpace space;
  space.method = "latin_hypercube";
  space.samples = 100;
  const auto plan = planScan(space);
  EXPECT_EQ(plan.combinations.size() + plan.duplicatesDropped, 100u);
  std::map<double, int> lr;
  for (const auto& c : plan.combinations) ++lr[c.learningRate];
  EXPECT_EQ(lr.size(), 5u);  // 100 samples over 5 values: 20 each before dropping repeats
  for (const auto& [value, count] : lr) EXPECT_LE(count, 20);
}

TEST(ScanSpace, RandomSamplingDrawsDistinctCombinations) {
  ScanSpace space;
  space.method = "random";
  space.samples = 50;
  const auto plan = planScan(space);
  std::set<std::string> ids;
  for (const auto& c : plan.combinations) ids.insert(c.id);
  EXPECT_EQ(ids.size(), 50u);
}

TEST(ScanSpace, JobsAreBalancedDisjointAndComplete) {
  const auto plan = planScan(ScanSpace{});
  const auto jobs = splitIntoJobs(plan.combinations, 10, 1);
  ASSERT_EQ(jobs.size(), 10u);
  std::set<std::string> seen;
  for (const auto& job : jobs) {
    EXPECT_EQ(job.size(), 80u);
    std::set<std::string> activations;
    for (const auto& c : job) {
      EXPECT_TRUE(seen.insert(c.id).second) << "combination in two jobs: " << c.id;
      activations.insert(c.activation);
    }
    EXPECT_EQ(activations.size(), 2u);  // a mix, not one activation per job
  }
  EXPECT_EQ(seen.size(), 800u);
  const auto uneven = splitIntoJobs(plan.combinations, 7, 1);
  for (const auto& job : uneven) EXPECT_TRUE(job.size() == 114u || job.size() == 115u);
  // Same seed, same jobs.
  EXPECT_EQ(splitIntoJobs(plan.combinations, 10, 1)[3][5].id, jobs[3][5].id);
}

TEST(ScanSpace, JobFilesRoundTrip) {
  const ScanSpace space;
  const auto plan = planScan(space);
  const auto jobs = splitIntoJobs(plan.combinations, 10, space.seed);
  const auto job = scanJobFromJson(scanJobJson(2, 10, space, jobs[2]));
  EXPECT_EQ(job.job, 2u);
  ASSERT_EQ(job.combinations.size(), 80u);
  EXPECT_EQ(job.combinations[7].id, jobs[2][7].id);
  EXPECT_EQ(job.training.epochs, space.training.epochs);
  auto edited = scanJobJson(2, 10, space, jobs[2]);
  edited["combinations"][0]["learning_rate"] = 0.5;  // id no longer matches
  EXPECT_THROW(scanJobFromJson(edited), InputError);
}

TEST(ScanSpace, BadSpacesAreRejectedNamingThePath) {
  auto space = toJson(ScanSpace{});
  EXPECT_EQ(errorOf(space), "no error");
  auto empty = space;
  empty["dimensions"]["layer2"] = nlohmann::json::array();
  EXPECT_THAT(errorOf(empty), HasSubstr("dimensions.layer2: expected a non-empty list"));
  auto activation = space;
  activation["dimensions"]["activation"] = {"relu", "swish"};
  EXPECT_THAT(errorOf(activation), HasSubstr("dimensions.activation[1]: expected one of relu"));
  auto negative = space;
  negative["dimensions"]["learning_rate"] = {0.001, -0.01};
  EXPECT_THAT(errorOf(negative),
              HasSubstr("dimensions.learning_rate[1]: expected a positive number"));
  auto unknown = space;
  unknown["dimensions"]["dropout"] = {0.1};
  EXPECT_THAT(errorOf(unknown), HasSubstr("dimensions.dropout: unknown dimension"));
  auto missing = space;
  missing["dimensions"].erase("batch_size");
  EXPECT_THAT(errorOf(missing), HasSubstr("dimensions.batch_size: missing"));
  auto method = space;
  method["method"] = "bayesian";
  EXPECT_THAT(errorOf(method), HasSubstr("method: expected one of grid, random, latin_hypercube"));
  auto epochs = space;
  epochs["training"]["epochs"] = 0;
  EXPECT_THAT(errorOf(epochs), HasSubstr("training.epochs"));
  auto repeated = space;
  repeated["dimensions"]["layer1"] = {16, 16};
  EXPECT_THAT(errorOf(repeated), HasSubstr("dimensions.layer1: a value is listed twice"));
}

}  // namespace
}  // namespace bolo
