#pragma once
// How back-ends run the batch system's programs (sbatch, scontrol, condor_submit, prun):
// an interface with one real implementation (common/Subprocess.hpp, no shell) and a
// recording fake in the unit tests.

#include <string>
#include <vector>

#include "common/Subprocess.hpp"

namespace bolo::batch {

class CommandRunner {
 public:
  virtual ~CommandRunner() = default;
  virtual ProcessResult run(const std::vector<std::string>& argv) = 0;
};

/// Runs the program for real; a program missing from PATH is an EnvironmentError (exit 3).
class SystemCommandRunner : public CommandRunner {
 public:
  ProcessResult run(const std::vector<std::string>& argv) override;
};

}  // namespace bolo::batch
