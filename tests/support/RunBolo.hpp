#pragma once
// Run the built bolo program as a user would, capturing exit code and both outputs.

#include <string>
#include <vector>

#include "common/Subprocess.hpp"

namespace bolo::test {

inline ProcessResult runBolo(const std::vector<std::string>& args, const std::string& cwd = {}) {
  std::vector<std::string> argv{BOLO_EXECUTABLE};
  argv.insert(argv.end(), args.begin(), args.end());
  return runProcess(argv, cwd);
}

}  // namespace bolo::test
