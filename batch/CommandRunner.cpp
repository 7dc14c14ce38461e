#include "batch/CommandRunner.hpp"

#include <fmt/format.h>

#include "common/Error.hpp"

namespace bolo::batch {

ProcessResult SystemCommandRunner::run(const std::vector<std::string>& argv) {
  if (argv.empty()) throw InputError("no command to run");
  if (!programOnPath(argv.front())) {
    throw EnvironmentError(fmt::format(
        "{} not found on PATH: is this a login node of the batch system?", argv.front()));
  }
  return runProcess(argv);
}

}  // namespace bolo::batch
