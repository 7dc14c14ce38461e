#include "batch/SiteCatalogue.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "common/ConfigReader.hpp"
#include "common/Error.hpp"

namespace bolo::batch {

namespace {

/// Names of sites and queues end up on batch command lines: keep them plain tokens.
void requirePlainName(const std::string& name, const std::string& path) {
  const bool ok = !name.empty() && name.front() != '-' &&
                  name.find_first_not_of(
                      "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                      "0123456789._-") == std::string::npos;
  if (!ok) {
    throw InputError(
        fmt::format("{}: name '{}' must be letters, digits, '.', '_' or '-'", path, name));
  }
}

QueueSpec queueFromJson(const std::string& name, const nlohmann::json& json,
                        const std::string& path) {
  requirePlainName(name, path);
  ConfigReader reader(json, path);
  QueueSpec q;
  q.name = name;
  reader.readChoice("resource", q.resource, {"gpu", "cpu"});
  if (q.isGpu()) {
    q.label = "nvidia-gpu";
    q.gpusPerSlot = 1;
  }
  reader.read("label", q.label);
  reader.read("gpu_model", q.gpuModel);
  reader.read("gpu_memory_gb", q.gpuMemoryGb);
  if (q.gpuMemoryGb < 0) reader.fail("gpu_memory_gb", "a number >= 0");
  reader.read("gpus_per_slot", q.gpusPerSlot);
  reader.read("multi_gpu", q.multiGpu);
  reader.read("time_limit_minutes", q.timeLimitMinutes);
  if (q.timeLimitMinutes < 0) reader.fail("time_limit_minutes", "an integer >= 0 (0: no limit)");
  reader.read("memory_mb", q.memoryMb);
  if (q.memoryMb < 0) reader.fail("memory_mb", "an integer >= 0 (0: not declared)");
  reader.readPositive("slots", q.slots);
  reader.readPositive("array_limit", q.arrayLimit);
  q.partition = name;
  reader.read("partition", q.partition);
  requirePlainName(q.partition, reader.pathOf("partition"));
  reader.finish();
  if (q.isGpu()) {
    if (q.gpusPerSlot < 1) reader.fail("gpus_per_slot", "a positive integer for a gpu queue");
    if (q.label.empty())
      reader.fail("label", "a vendor label such as \"nvidia-gpu\" for a gpu queue");
  } else {
    if (q.gpusPerSlot != 0) reader.fail("gpus_per_slot", "0 for a cpu queue");
    if (q.multiGpu) reader.fail("multi_gpu", "false for a cpu queue");
  }
  return q;
}

SiteSpec siteFromJson(const std::string& name, const nlohmann::json& json,
                      const std::string& path) {
  requirePlainName(name, path);
  ConfigReader reader(json, path);
  SiteSpec site;
  site.name = name;
  std::string backend = "local";
  reader.readChoice("backend", backend, {"local", "slurm", "htcondor", "grid"});
  site.backend = backendKindFromString(backend);
  reader.read("description", site.description);
  {
    auto container = reader.section("container");
    container.readChoice("runtime", site.container.runtime, {"none", "apptainer", "docker"});
    container.read("image", site.container.image);
    container.finish();
    if (site.container.runtime != "none" && site.container.image.empty()) {
      container.fail("image", "an image for runtime " + site.container.runtime);
    }
  }
  reader.read("grid_site", site.gridSite);
  reader.read("bolo_command", site.boloCommand);
  if (site.backend == BackendKind::kGrid && site.gridSite.empty()) {
    reader.fail("grid_site", "the PanDA queue name for a grid site");
  }
  reader.section("queues");  // marks the key as read; its entries are read below
  reader.finish();
  const auto it = json.find("queues");
  if (it == json.end() || !it->is_object() || it->empty()) {
    throw InputError(fmt::format("{}.queues: expected an object with at least one queue", path));
  }
  for (const auto& [queueName, queueJson] : it->items()) {
    site.queues.push_back(queueFromJson(queueName, queueJson, path + ".queues." + queueName));
  }
  return site;
}

}  // namespace

std::string toString(BackendKind kind) {
  switch (kind) {
    case BackendKind::kLocal:
      return "local";
    case BackendKind::kSlurm:
      return "slurm";
    case BackendKind::kHtcondor:
      return "htcondor";
    case BackendKind::kGrid:
      return "grid";
  }
  return "local";
}

BackendKind backendKindFromString(const std::string& text) {
  if (text == "local") return BackendKind::kLocal;
  if (text == "slurm") return BackendKind::kSlurm;
  if (text == "htcondor") return BackendKind::kHtcondor;
  if (text == "grid") return BackendKind::kGrid;
  throw InputError(
      fmt::format("unknown back-end '{}': valid are local, slurm, htcondor, grid", text));
}

const QueueSpec* SiteSpec::findQueue(const std::string& queue) const {
  for (const auto& q : queues) {
    if (q.name == queue) return &q;
  }
  return nullptr;
}

const SiteSpec& SiteCatalogue::site(const std::string& name) const {
  const std::string wanted = name.empty() ? defaultSite : name;
  std::vector<std::string> names;
  for (const auto& s : sites) {
    if (s.name == wanted) return s;
    names.push_back(s.name);
  }
  if (wanted.empty()) {
    throw InputError(
        fmt::format("no --site given and the catalogue has no default_site; sites are {}",
                    fmt::join(names, ", ")));
  }
  throw InputError(
      fmt::format("unknown site '{}': the catalogue has {}", wanted, fmt::join(names, ", ")));
}

SiteCatalogue siteCatalogueFromJson(const nlohmann::json& json) {
  ConfigReader reader(json, "");
  SiteCatalogue catalogue;
  reader.read("default_site", catalogue.defaultSite);
  reader.section("sites");
  reader.finish();
  const auto it = json.find("sites");
  if (it == json.end() || !it->is_object() || it->empty()) {
    throw InputError("sites: expected an object with at least one site");
  }
  for (const auto& [name, siteJson] : it->items()) {
    catalogue.sites.push_back(siteFromJson(name, siteJson, "sites." + name));
  }
  if (!catalogue.defaultSite.empty()) catalogue.site(catalogue.defaultSite);  // must exist
  return catalogue;
}

nlohmann::json toJson(const SiteCatalogue& catalogue) {
  nlohmann::json sites = nlohmann::json::object();
  for (const auto& s : catalogue.sites) {
    nlohmann::json queues = nlohmann::json::object();
    for (const auto& q : s.queues) {
      nlohmann::json j = {{"resource", q.resource},      {"time_limit_minutes", q.timeLimitMinutes},
                          {"memory_mb", q.memoryMb},     {"slots", q.slots},
                          {"array_limit", q.arrayLimit}, {"partition", q.partition}};
      if (q.isGpu()) {
        j["label"] = q.label;
        j["gpu_model"] = q.gpuModel;
        j["gpu_memory_gb"] = q.gpuMemoryGb;
        j["gpus_per_slot"] = q.gpusPerSlot;
        j["multi_gpu"] = q.multiGpu;
      }
      queues[q.name] = j;
    }
    nlohmann::json site = {
        {"backend", toString(s.backend)},
        {"description", s.description},
        {"container", {{"runtime", s.container.runtime}, {"image", s.container.image}}},
        {"queues", queues}};
    if (!s.gridSite.empty()) site["grid_site"] = s.gridSite;
    if (!s.boloCommand.empty()) site["bolo_command"] = s.boloCommand;
    sites[s.name] = site;
  }
  return {{"default_site", catalogue.defaultSite}, {"sites", sites}};
}

SiteCatalogue defaultSiteCatalogue() {
  const auto json = nlohmann::json::parse(R"({
    "default_site": "local",
    "sites": {
      "local": {
        "backend": "local",
        "description": "this machine: one job per GPU (CUDA_VISIBLE_DEVICES), CPU jobs in CPU slots",
        "queues": {
          "gpu": {"resource": "gpu", "label": "nvidia-gpu", "gpus_per_slot": 1, "slots": 1},
          "cpu": {"resource": "cpu", "slots": 2}
        }
      },
      "hpc": {
        "backend": "slurm",
        "description": "example SLURM centre: edit partitions, models and limits to match yours",
        "container": {"runtime": "apptainer", "image": "/shared/containers/bolo.sif"},
        "queues": {
          "a100": {"resource": "gpu", "partition": "gpu", "label": "nvidia-gpu", "gpu_model": "A100",
                   "gpu_memory_gb": 40, "gpus_per_slot": 4, "multi_gpu": true,
                   "time_limit_minutes": 1440, "memory_mb": 64000, "array_limit": 10},
          "cpu": {"resource": "cpu", "partition": "cpu", "time_limit_minutes": 2880, "memory_mb": 4000}
        }
      },
      "grid-condor": {
        "backend": "htcondor",
        "description": "example HTCondor grid site: one GPU per slot, Apptainer image from CVMFS",
        "container": {"runtime": "apptainer", "image": "/cvmfs/unpacked.cern.ch/registry.hub.docker.com/bolo/bolo:latest"},
        "queues": {
          "gpu": {"resource": "gpu", "label": "nvidia-gpu", "gpu_model": "V100", "gpu_memory_gb": 32,
                  "gpus_per_slot": 1, "time_limit_minutes": 2880},
          "cpu": {"resource": "cpu", "time_limit_minutes": 2880}
        }
      },
      "panda": {
        "backend": "grid",
        "description": "example PanDA GPU queue reached with the prun client",
        "grid_site": "ANALY_EXAMPLE_GPU",
        "container": {"runtime": "docker", "image": "docker://ghcr.io/bolo/bolo:latest"},
        "queues": {
          "gpu": {"resource": "gpu", "label": "nvidia-gpu", "gpu_model": "V100", "gpu_memory_gb": 16,
                  "gpus_per_slot": 1, "time_limit_minutes": 2880}
        }
      }
    }
  })");
  return siteCatalogueFromJson(json);
}

SiteCatalogue loadSiteCatalogue(const std::string& option,
                                const std::filesystem::path& configsDir) {
  if (!option.empty()) return siteCatalogueFromJson(readJsonFile(option));
  const auto path = configsDir / "sites.json";
  std::error_code ec;
  if (std::filesystem::exists(path, ec)) return siteCatalogueFromJson(readJsonFile(path.string()));
  return defaultSiteCatalogue();
}

}  // namespace bolo::batch
