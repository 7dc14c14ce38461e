#pragma once
// One exception hierarchy for all of Bolo. Library code throws; only apps/bolo/main.cpp maps
// an exception to a process exit code (see the table in README.md).

#include <stdexcept>
#include <string>

namespace bolo {

/// Process exit codes, one table for the whole program.
enum class ExitCode : int {
  kSuccess = 0,
  kRuntimeFailure = 1,   ///< something went wrong while working
  kInvalidInput = 2,     ///< usage, config, file or argument error
  kEnvironment = 3,      ///< environment unusable (e.g. CUDA requested but not usable)
  kRequeue = 75,         ///< interrupted after saving state: safe to requeue (EX_TEMPFAIL)
  kUserInterrupt = 130,  ///< interrupted by the user (Ctrl-C)
};

/// Base of every error Bolo throws on purpose. The message is one line that names the problem.
class Error : public std::runtime_error {
 public:
  Error(ExitCode code, const std::string& message) : std::runtime_error(message), m_code(code) {}
  ExitCode code() const noexcept { return m_code; }

 private:
  ExitCode m_code;
};

/// Bad command-line usage, config, or input file: exit 2.
class InputError : public Error {
 public:
  explicit InputError(const std::string& message) : Error(ExitCode::kInvalidInput, message) {}
};

/// The environment cannot do what was asked (device, missing tool): exit 3.
class EnvironmentError : public Error {
 public:
  explicit EnvironmentError(const std::string& message) : Error(ExitCode::kEnvironment, message) {}
};

/// Work failed at run time (I/O failure, divergence, a child process failed): exit 1.
class RuntimeFailure : public Error {
 public:
  explicit RuntimeFailure(const std::string& message) : Error(ExitCode::kRuntimeFailure, message) {}
};

/// Work stopped on a signal after its state was saved: exit 75 (requeue) or 130 (user).
class Interrupted : public Error {
 public:
  Interrupted(ExitCode code, const std::string& message) : Error(code, message) {}
};

}  // namespace bolo
