#pragma once
// Running a job's command inside the site's container: the argument vector gets the
// runtime's prefix, so the command itself is passed on unchanged (no shell in between).

#include <filesystem>
#include <string>
#include <vector>

#include "batch/SiteCatalogue.hpp"

namespace bolo::batch {

/// `command` as it runs at a site with `container`: unchanged for runtime "none";
/// `apptainer exec [--nv] --bind WORKDIR IMAGE ...` or
/// `docker run --rm [--gpus all] -v WORKDIR:WORKDIR -w WORKDIR IMAGE ...` otherwise.
std::vector<std::string> wrapInContainer(const ContainerSpec& container, bool gpu,
                                         const std::filesystem::path& workdir,
                                         const std::vector<std::string>& command);

}  // namespace bolo::batch
