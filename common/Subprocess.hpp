#pragma once
// Running another program without a shell: arguments go to execvp as they are, so no value
// can ever be interpreted as shell code.

#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace bolo {

struct ProcessResult {
  int exitCode = -1;  ///< exit status, 128+N if killed by signal N, 127 if it could not start
  std::string out;
  std::string err;
  /// First non-empty line of stderr (or stdout), for one-line error messages.
  std::string firstErrorLine() const;
};

/// Run `argv` (argv[0] looked up on PATH) in `cwd`, with `stdinText` on its standard input
/// and `extraEnv` added to the environment; wait and capture both outputs.
ProcessResult runProcess(const std::vector<std::string>& argv,
                         const std::filesystem::path& cwd = {}, const std::string& stdinText = {},
                         const std::map<std::string, std::string>& extraEnv = {});

/// True if `program` is found on PATH and executable.
bool programOnPath(const std::string& program);

}  // namespace bolo
