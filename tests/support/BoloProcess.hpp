#pragma once
// The bolo program as the reliability tests need it: started in the background with its output
// in a log file (to be killed at a random moment), and run under a file-size limit (a full
// disk: every write past the limit fails with EFBIG).

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "common/Subprocess.hpp"

namespace bolo::test {

namespace detail {

inline std::vector<char*> argvOf(std::vector<std::string>& args) {
  args.insert(args.begin(), BOLO_EXECUTABLE);
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  return argv;
}

}  // namespace detail

/// Start `bolo args...` with stdout and stderr appended to `log`; returns its process id.
inline pid_t spawnBolo(std::vector<std::string> args, const std::filesystem::path& log) {
  auto argv = detail::argvOf(args);
  const pid_t pid = ::fork();
  if (pid == 0) {
    const int fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
    if (fd >= 0) {
      ::dup2(fd, 1);
      ::dup2(fd, 2);
    }
    ::execv(argv[0], argv.data());
    ::_exit(127);
  }
  return pid;
}

/// Wait for `pid`: its exit status, or 128 + N when signal N ended it.
inline int waitForExit(pid_t pid) {
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

inline std::string readText(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

/// Wait until `log` contains `marker` (a program's start-up takes what the machine gives it).
inline bool waitForLog(const std::filesystem::path& log, const std::string& marker,
                       std::chrono::seconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (readText(log).find(marker) != std::string::npos) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return false;
}

/// Run `bolo args...` with RLIMIT_FSIZE at `limitBytes` and SIGXFSZ ignored (as a full disk
/// or quota looks to the program: write() fails with EFBIG instead of killing it). The
/// outputs go through pipes, which the limit does not cover.
inline ProcessResult runBoloUnderFileLimit(std::vector<std::string> args, rlim_t limitBytes) {
  auto argv = detail::argvOf(args);
  int out[2], err[2];
  if (::pipe(out) != 0 || ::pipe(err) != 0) return {};
  const pid_t pid = ::fork();
  if (pid == 0) {
    ::dup2(out[1], 1);
    ::dup2(err[1], 2);
    ::close(out[0]);
    ::close(err[0]);
    const rlimit limit{limitBytes, limitBytes};
    ::setrlimit(RLIMIT_FSIZE, &limit);
    ::signal(SIGXFSZ, SIG_IGN);  // ignored dispositions survive exec
    ::execv(argv[0], argv.data());
    ::_exit(127);
  }
  ::close(out[1]);
  ::close(err[1]);
  ProcessResult result;
  std::array<pollfd, 2> fds{pollfd{out[0], POLLIN, 0}, pollfd{err[0], POLLIN, 0}};
  std::array<std::string*, 2> sinks{&result.out, &result.err};
  int open = 2;
  char buffer[4096];
  while (open > 0) {
    if (::poll(fds.data(), fds.size(), -1) < 0) {
      if (errno == EINTR) continue;
      break;
    }
    for (std::size_t i = 0; i < fds.size(); ++i) {
      if (fds[i].fd < 0 || !(fds[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
      const auto n = ::read(fds[i].fd, buffer, sizeof buffer);
      if (n > 0) {
        sinks[i]->append(buffer, static_cast<std::size_t>(n));
      } else {
        ::close(fds[i].fd);
        fds[i].fd = -1;
        --open;
      }
    }
  }
  result.exitCode = waitForExit(pid);
  return result;
}

/// Names in `dir` (not recursive) that are temporary files of an atomic write (".x.tmp.pid.n").
inline std::vector<std::string> temporaryFiles(const std::filesystem::path& dir) {
  std::vector<std::string> names;
  std::error_code ec;
  if (!std::filesystem::is_directory(dir, ec)) return names;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(dir)) {
    const auto name = entry.path().filename().string();
    if (name[0] == '.' && name.find(".tmp.") != std::string::npos) names.push_back(name);
  }
  return names;
}

}  // namespace bolo::test
