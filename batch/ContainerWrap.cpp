#include "batch/ContainerWrap.hpp"

namespace bolo::batch {

std::vector<std::string> wrapInContainer(const ContainerSpec& container, bool gpu,
                                         const std::filesystem::path& workdir,
                                         const std::vector<std::string>& command) {
  std::vector<std::string> argv;
  const std::string dir = workdir.string();
  if (container.runtime == "apptainer") {
    argv = {"apptainer", "exec"};
    if (gpu) argv.push_back("--nv");  // bind the host's NVIDIA driver libraries
    if (!dir.empty()) argv.insert(argv.end(), {"--bind", dir, "--pwd", dir});
    argv.push_back(container.image);
  } else if (container.runtime == "docker") {
    std::string image = container.image;
    if (image.rfind("docker://", 0) == 0) image = image.substr(9);
    argv = {"docker", "run", "--rm"};
    if (gpu) argv.insert(argv.end(), {"--gpus", "all"});
    if (!dir.empty())
      argv.insert(argv.end(), {"-v", dir + ":" + dir, "-w", dir, "-e", "BOLO_WORKDIR=" + dir});
    argv.push_back(image);
  }
  argv.insert(argv.end(), command.begin(), command.end());
  return argv;
}

}  // namespace bolo::batch
