#pragma once
// The site catalogue: which batch sites a user can submit to, and what each queue offers.
// Loaded strictly from JSON (unknown keys, wrong types, bad values name their JSON path):
//
//   {"default_site": "laptop",
//    "sites": {"laptop": {"backend": "local",
//                          "queues": {"gpu": {"resource": "gpu", "label": "nvidia-gpu", ...}}}}}

#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace bolo::batch {

/// How a site runs jobs.
enum class BackendKind { kLocal, kSlurm, kHtcondor, kGrid };

std::string toString(BackendKind kind);
/// "local", "slurm", "htcondor" or "grid"; InputError otherwise.
BackendKind backendKindFromString(const std::string& text);

/// One queue (SLURM partition, HTCondor slot type, grid queue, or local slots).
struct QueueSpec {
  std::string name;
  std::string resource = "cpu";  ///< "gpu" or "cpu": what a slot of this queue is for
  std::string label;             ///< vendor label of the GPUs, e.g. "nvidia-gpu" (gpu queues)
  std::string gpuModel;          ///< e.g. "A100"; empty = not declared (model requests rejected)
  double gpuMemoryGb = 0;        ///< memory of one GPU; 0 = not declared
  int gpusPerSlot = 0;           ///< GPUs one slot (node) offers; gpu queues default to 1
  bool multiGpu = false;         ///< whether one job may use more than one GPU of a slot
  int timeLimitMinutes = 0;      ///< longest job the queue accepts; 0 = no limit
  int memoryMb = 0;              ///< memory of one slot; 0 = not declared
  int slots = 1;                 ///< jobs that run at once (local back-end)
  int arrayLimit = 10;           ///< array tasks that run at once (SLURM "%N")
  std::string partition;         ///< SLURM partition; defaults to the queue name

  bool isGpu() const { return resource == "gpu"; }
};

/// The container a site runs jobs in.
struct ContainerSpec {
  std::string runtime = "none";  ///< "none", "apptainer" or "docker"
  std::string image;             ///< e.g. "docker://ghcr.io/org/bolo:1.0" or a .sif path
};

struct SiteSpec {
  std::string name;
  BackendKind backend = BackendKind::kLocal;
  std::string description;
  ContainerSpec container;
  std::string gridSite;     ///< PanDA queue name for the grid back-end (--site of the client)
  std::string boloCommand;  ///< bolo as the jobs see it; empty = this program's own path
  std::vector<QueueSpec> queues;

  const QueueSpec* findQueue(const std::string& queue) const;
};

struct SiteCatalogue {
  std::string defaultSite;
  std::vector<SiteSpec> sites;

  /// The named site (or the default when `name` is empty); InputError listing the sites.
  const SiteSpec& site(const std::string& name) const;
};

/// Read a catalogue document; `origin` names it in errors.
SiteCatalogue siteCatalogueFromJson(const nlohmann::json& json);
nlohmann::json toJson(const SiteCatalogue& catalogue);
/// The catalogue `bolo init` writes as configs/sites.json: a local site plus examples of a
/// SLURM centre, an HTCondor grid site and a PanDA queue to edit.
SiteCatalogue defaultSiteCatalogue();
/// --catalogue FILE if given, else <workdir>/configs/sites.json if present, else the default.
SiteCatalogue loadSiteCatalogue(const std::string& option, const std::filesystem::path& configsDir);

}  // namespace bolo::batch
