#include <gtest/gtest.h>

#include "batch/SiteCatalogue.hpp"
#include "common/Error.hpp"

namespace bolo::batch {

namespace {

nlohmann::json minimal() {
  return nlohmann::json::parse(R"({
    "default_site": "hpc",
    "sites": {"hpc": {"backend": "slurm",
                      "queues": {"a100": {"resource": "gpu", "gpu_model": "A100", "gpu_memory_gb": 40,
                                          "partition": "gpu", "time_limit_minutes": 600}}}}})");
}

std::string errorOf(const nlohmann::json& json) {
  try {
    siteCatalogueFromJson(json);
  } catch (const InputError& e) {
    return e.what();
  }
  return "no error";
}

}  // namespace

TEST(SiteCatalogue, ReadsSitesAndQueuesWithDefaults) {
  const auto catalogue = siteCatalogueFromJson(minimal());
  const auto& site = catalogue.site("");
  EXPECT_EQ(site.name, "hpc");
  EXPECT_EQ(site.backend, BackendKind::kSlurm);
  const auto* q = site.findQueue("a100");
  ASSERT_NE(q, nullptr);
  EXPECT_TRUE(q->isGpu());
  EXPECT_EQ(q->label, "nvidia-gpu");  // gpu queues default to the NVIDIA label
  EXPECT_EQ(q->gpusPerSlot, 1);       // and one GPU per slot
  EXPECT_FALSE(q->multiGpu);
  EXPECT_EQ(q->partition, "gpu");
  EXPECT_EQ(q->arrayLimit, 10);
}

TEST(SiteCatalogue, RoundTripsThroughJson) {
  const auto catalogue = defaultSiteCatalogue();
  const auto again = siteCatalogueFromJson(toJson(catalogue));
  EXPECT_EQ(toJson(again), toJson(catalogue));
  EXPECT_EQ(catalogue.defaultSite, "local");
  EXPECT_EQ(catalogue.sites.size(), 4u);
}

TEST(SiteCatalogue, StrictErrorsNameTheJsonPath) {
  auto j = minimal();
  j["sites"]["hpc"]["queues"]["a100"]["gpu_memry_gb"] = 80;
  EXPECT_EQ(errorOf(j), "sites.hpc.queues.a100.gpu_memry_gb: unknown key");

  j = minimal();
  j["sites"]["hpc"]["backend"] = "pbs";
  EXPECT_NE(errorOf(j).find("sites.hpc.backend: expected one of local, slurm, htcondor, grid"),
            std::string::npos);

  j = minimal();
  j["sites"]["hpc"]["queues"]["a100"]["gpu_memory_gb"] = -1;
  EXPECT_NE(errorOf(j).find("sites.hpc.queues.a100.gpu_memory_gb"), std::string::npos);

  j = minimal();
  j["sites"]["hpc"]["queues"]["cpu"] = {{"resource", "cpu"}, {"gpus_per_slot", 2}};
  EXPECT_NE(errorOf(j).find("sites.hpc.queues.cpu.gpus_per_slot: expected 0 for a cpu queue"),
            std::string::npos);

  j = minimal();
  j["default_site"] = "nowhere";
  EXPECT_NE(errorOf(j).find("unknown site 'nowhere'"), std::string::npos);

  j = minimal();
  j["sites"]["hpc"]["queues"] = nlohmann::json::object();
  EXPECT_NE(errorOf(j).find("sites.hpc.queues: expected an object with at least one queue"),
            std::string::npos);

  j = minimal();
  j["sites"]["hpc"]["queues"]["a100"]["partition"] = "gpu --uid=0";
  EXPECT_NE(errorOf(j).find("must be letters, digits"), std::string::npos);

  j = minimal();
  j["sites"]["hpc"]["container"] = {{"runtime", "apptainer"}};
  EXPECT_NE(errorOf(j).find("sites.hpc.container.image"), std::string::npos);

  j = minimal();
  j["sites"]["grid"] = {{"backend", "grid"}, {"queues", {{"gpu", {{"resource", "gpu"}}}}}};
  EXPECT_NE(errorOf(j).find("sites.grid.grid_site"), std::string::npos);
}

TEST(SiteCatalogue, UnknownSiteListsTheKnownOnes) {
  const auto catalogue = defaultSiteCatalogue();
  try {
    catalogue.site("cern");
    FAIL() << "expected an error";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("local"), std::string::npos);
    EXPECT_NE(std::string(e.what()).find("hpc"), std::string::npos);
  }
}

}  // namespace bolo::batch
