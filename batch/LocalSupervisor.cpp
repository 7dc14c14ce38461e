// The detached process that runs a local job: see LocalBackend.hpp for what it does.

#include <fcntl.h>
#include <fmt/format.h>
#include <signal.h>
#include <sys/file.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <csignal>
#include <cstring>
#include <deque>
#include <fstream>
#include <limits>
#include <map>
#include <sstream>
#include <thread>

#include "batch/LocalBackend.hpp"
#include "common/AtomicFile.hpp"
#include "common/ConfigReader.hpp"
#include "common/Error.hpp"
#include "common/ParseNumber.hpp"

namespace bolo::batch {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

namespace {

volatile std::sig_atomic_t g_cancel = 0;
extern "C" void onCancel(int) {
  g_cancel = 1;
}

/// Field 22 of /proc/PID/stat: the start time, which tells a live pid from a reused one.
unsigned long long processStartTicks(long pid) {
  std::ifstream in(fmt::format("/proc/{}/stat", pid));
  std::string stat((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const auto close = stat.rfind(')');
  if (close == std::string::npos) return 0;
  std::istringstream fields(stat.substr(close + 2));
  std::string field;
  for (int i = 3; i <= 22 && fields >> field; ++i) {
    if (i == 22)
      return toUnsigned(field, std::numeric_limits<unsigned long long>::max()).value_or(0);
  }
  return 0;
}

void writeTask(const fs::path& jobDir, const TaskRecord& task, int gpu, long pid = 0) {
  const nlohmann::json j = {{"index", task.index},
                            {"state", toString(task.state)},
                            {"exit_code", task.exitCode},
                            {"restarts", task.restarts},
                            {"reason", task.reason},
                            {"gpu", gpu},
                            {"pid", pid}};
  writeFileAtomically(jobDir / fmt::format("task.{}.json", task.index), j.dump() + "\n");
}

bool supervisorAlive(const fs::path& jobDir) {
  return liveSupervisorPid(jobDir) != 0;
}

/// 1: all tasks completed, -1: some task ended otherwise (or the job is gone), 0: wait.
int dependencyOutcome(const fs::path& dir) {
  std::error_code ec;
  if (!fs::exists(dir / "plan.json", ec)) return -1;
  const auto plan = parseJson(readFile(dir / "plan.json"), (dir / "plan.json").string());
  const auto indices = plan.at("tasks").get<std::vector<int>>();
  bool allDone = true;
  for (const auto& t : readLocalTasks(dir, indices)) {
    if (isFinal(t.state) && t.state != JobState::kCompleted) return -1;
    if (t.state != JobState::kCompleted) allDone = false;
  }
  return allDone ? 1 : 0;
}

struct Running {
  TaskRecord task;
  int slot = -1;
  int lockFd = -1;
  Clock::time_point started;
  Clock::time_point termSent{};
  bool timedOut = false;
};

class Supervisor {
 public:
  explicit Supervisor(LocalPlan plan) : m_plan(std::move(plan)) {}

  void run() {
    for (const int i : m_plan.tasks) {
      TaskRecord t;
      t.index = i;
      m_pending.push_back(t);
    }
    if (!waitForDependencies()) return;
    const int limit = m_plan.arraySize > 0 ? m_plan.arrayLimit : 1;
    while (!m_pending.empty() || !m_running.empty()) {
      if (g_cancel) cancelAll();
      while (!g_cancel && !m_pending.empty() && static_cast<int>(m_running.size()) < limit) {
        if (!startNext()) break;
      }
      reap();
      enforceTimeLimits();
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
  }

 private:
  bool waitForDependencies() {
    for (const auto& dir : m_plan.dependencyDirs) {
      for (;;) {
        if (g_cancel)
          return finishPending(JobState::kCancelled, "cancelled while waiting for dependencies");
        const int outcome = dependencyOutcome(dir);
        if (outcome < 0) {
          return finishPending(JobState::kCancelled, fmt::format("dependency {} did not complete",
                                                                 dir.filename().string()));
        }
        if (outcome > 0) break;
        std::this_thread::sleep_for(std::chrono::milliseconds(300));
      }
    }
    return true;
  }

  bool finishPending(JobState state, const std::string& reason) {
    for (auto& t : m_pending) {
      t.state = state;
      t.reason = reason;
      writeTask(m_plan.jobDir, t, -1);
    }
    m_pending.clear();
    return false;
  }

  /// A free slot's lock (held until the task ends), or -1 if all are taken.
  std::pair<int, int> acquireSlot() {
    std::error_code ec;
    fs::create_directories(m_plan.slotDir, ec);
    for (int k = 0; k < m_plan.slots; ++k) {
      const fs::path lock = m_plan.slotDir / fmt::format("{}-{}.lock", m_plan.queue, k);
      const int fd = ::open(lock.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
      if (fd < 0) continue;
      if (::flock(fd, LOCK_EX | LOCK_NB) == 0) return {k, fd};
      ::close(fd);
    }
    return {-1, -1};
  }

  bool startNext() {
    const auto [slot, fd] = acquireSlot();
    if (slot < 0) return false;
    Running r;
    r.task = m_pending.front();
    m_pending.pop_front();
    r.slot = slot;
    r.lockFd = fd;
    r.started = Clock::now();
    const pid_t pid = launch(r.task.index, slot);
    r.task.state = JobState::kRunning;
    r.task.reason.clear();
    writeTask(m_plan.jobDir, r.task, m_plan.gpu ? slot : -1, pid);
    m_running[pid] = r;
    return true;
  }

  pid_t launch(int task, int slot) {
    std::vector<std::string> argv = m_plan.command;
    for (auto& arg : argv) {
      arg = substituteTask(arg, [&](int width) { return fmt::format("{:0{}d}", task, width); });
    }
    const std::string logName = m_plan.arraySize > 0
                                    ? fmt::format("{}_{}.log", m_plan.logName, task)
                                    : m_plan.logName + ".log";
    const fs::path log = m_plan.logDir / logName;
    std::vector<char*> args;
    for (auto& a : argv) args.push_back(a.data());
    args.push_back(nullptr);
    const std::string gpus = m_plan.gpu ? std::to_string(slot) : std::string();
    const std::string taskText = std::to_string(task);
    const pid_t pid = ::fork();
    if (pid == 0) {
      ::setpgid(0, 0);  // its own group, so a time limit or cancel reaches its children too
      const int out = ::open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
      const int in = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
      if (out >= 0) {
        ::dup2(out, STDOUT_FILENO);
        ::dup2(out, STDERR_FILENO);
      }
      if (in >= 0) ::dup2(in, STDIN_FILENO);
      if (!m_plan.workdir.empty() && ::chdir(m_plan.workdir.c_str()) != 0) _exit(127);
      ::setenv("BOLO_WORKDIR", m_plan.workdir.c_str(), 1);
      ::setenv("BOLO_BATCH_TASK", taskText.c_str(), 1);
      ::setenv("CUDA_VISIBLE_DEVICES", gpus.c_str(), 1);
      for (int s : {SIGPIPE, SIGTERM, SIGUSR1, SIGINT}) ::signal(s, SIG_DFL);
      sigset_t none;
      sigemptyset(&none);
      ::sigprocmask(SIG_SETMASK, &none, nullptr);
      ::execvp(args[0], args.data());
      const std::string msg =
          fmt::format("bolo-local: cannot run {}: {}\n", argv[0], std::strerror(errno));
      [[maybe_unused]] auto n = ::write(STDERR_FILENO, msg.data(), msg.size());
      _exit(127);
    }
    if (pid < 0) throw RuntimeFailure("fork failed");
    return pid;
  }

  void reap() {
    int status = 0;
    pid_t pid;
    while ((pid = ::waitpid(-1, &status, WNOHANG)) > 0) {
      const auto it = m_running.find(pid);
      if (it == m_running.end()) continue;
      Running r = it->second;
      m_running.erase(it);
      ::close(r.lockFd);
      const int code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
      TaskRecord& t = r.task;
      t.exitCode = code;
      if (r.timedOut) {
        t.state = JobState::kTimeout;
        t.reason = fmt::format("time limit of {} s reached", m_plan.timeLimitSeconds);
      } else if (g_cancel) {
        t.state = JobState::kCancelled;
        t.reason = "cancelled";
      } else if (code == 75 && t.restarts < m_plan.maxRequeues) {
        t.state = JobState::kRequeued;
        t.reason = "state saved (exit 75); running again";
        ++t.restarts;
        writeTask(m_plan.jobDir, t, -1);
        t.state = JobState::kPending;
        m_pending.push_front(t);
        continue;
      } else {
        t.state = stateFromExitCode(code);
        t.reason = code == 0 ? "" : fmt::format("exit code {}", code);
      }
      writeTask(m_plan.jobDir, t, -1);
    }
  }

  void enforceTimeLimits() {
    if (m_plan.timeLimitSeconds <= 0) return;
    const auto now = Clock::now();
    for (auto& [pid, r] : m_running) {
      if (!r.timedOut && now - r.started > std::chrono::seconds(m_plan.timeLimitSeconds)) {
        r.timedOut = true;
        r.termSent = now;
        ::kill(-pid, SIGTERM);
      } else if (r.timedOut && now - r.termSent > std::chrono::seconds(m_plan.killGraceSeconds)) {
        ::kill(-pid, SIGKILL);
      }
    }
  }

  void cancelAll() {
    if (!m_cancelSent) {
      m_cancelSent = true;
      m_cancelTime = Clock::now();
      for (const auto& [pid, r] : m_running) ::kill(-pid, SIGTERM);
      finishPending(JobState::kCancelled, "cancelled");
    } else if (Clock::now() - m_cancelTime > std::chrono::seconds(m_plan.killGraceSeconds)) {
      for (const auto& [pid, r] : m_running) ::kill(-pid, SIGKILL);
    }
  }

  LocalPlan m_plan;
  std::deque<TaskRecord> m_pending;
  std::map<pid_t, Running> m_running;
  bool m_cancelSent = false;
  Clock::time_point m_cancelTime{};
};

void supervise(const LocalPlan& plan, int readyFd) {
  struct sigaction action {};
  action.sa_handler = onCancel;
  sigemptyset(&action.sa_mask);
  for (int s : {SIGTERM, SIGINT, SIGHUP}) ::sigaction(s, &action, nullptr);
  ::signal(SIGUSR1, SIG_IGN);
  const long pid = ::getpid();
  writeFileAtomically(
      plan.jobDir / "supervisor.json",
      nlohmann::json({{"pid", pid}, {"start_ticks", processStartTicks(pid)}}).dump() + "\n");
  const char ok = 1;
  [[maybe_unused]] auto n = ::write(readyFd, &ok, 1);
  ::close(readyFd);
  Supervisor(plan).run();
}

}  // namespace

long liveSupervisorPid(const fs::path& jobDir) {
  try {
    const auto j =
        parseJson(readFile(jobDir / "supervisor.json"), (jobDir / "supervisor.json").string());
    const long pid = j.at("pid").get<long>();
    const bool alive = ::kill(static_cast<pid_t>(pid), 0) == 0 &&
                       processStartTicks(pid) == j.at("start_ticks").get<unsigned long long>();
    return alive ? pid : 0;
  } catch (const std::exception&) {
    return 0;
  }
}

std::vector<TaskRecord> readLocalTasks(const fs::path& jobDir, const std::vector<int>& indices) {
  const bool alive = supervisorAlive(jobDir);  // before reading: see the comment below
  std::vector<TaskRecord> tasks;
  for (const int i : indices) {
    TaskRecord t;
    t.index = i;
    const fs::path file = jobDir / fmt::format("task.{}.json", i);
    std::error_code ec;
    if (fs::exists(file, ec)) {
      const auto j = parseJson(readFile(file), file.string());
      t.state = jobStateFromString(j.at("state").get<std::string>());
      t.exitCode = j.at("exit_code").get<int>();
      t.restarts = j.at("restarts").get<int>();
      t.reason = j.at("reason").get<std::string>();
    }
    // A supervisor found dead before the files were read wrote its last states already:
    // what is still unfinished will never finish.
    if (!alive && !isFinal(t.state)) {
      t.state = JobState::kUnknown;
      t.reason = "the local supervisor is gone (machine restarted or process killed)";
    }
    tasks.push_back(t);
  }
  return tasks;
}

void startLocalSupervisor(const LocalPlan& plan) {
  int ready[2];
  if (::pipe2(ready, O_CLOEXEC) != 0)
    throw RuntimeFailure("cannot create a pipe for the local supervisor");
  std::fflush(nullptr);
  const pid_t child = ::fork();
  if (child < 0) throw RuntimeFailure("fork failed");
  if (child == 0) {
    // The intermediate process: detach the supervisor from this session and exit, so the
    // supervisor is nobody's child and outlives the submitting program.
    ::close(ready[0]);
    ::setsid();
    if (::fork() != 0) _exit(0);
    const int null = ::open("/dev/null", O_RDWR);
    const fs::path log = plan.jobDir / "supervisor.log";
    const int err = ::open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
    ::dup2(null, STDIN_FILENO);
    ::dup2(null, STDOUT_FILENO);
    ::dup2(err >= 0 ? err : null, STDERR_FILENO);
    // Keep only the ready pipe: descriptors of the submitting program stay with it.
    const auto keep = static_cast<unsigned>(ready[1]);
    if (keep > 3) ::close_range(3, keep - 1, 0);
    ::close_range(keep + 1, ~0U, 0);
    try {
      supervise(plan, ready[1]);
    } catch (const std::exception& e) {
      const std::string msg = fmt::format("bolo-local: supervisor failed: {}\n", e.what());
      [[maybe_unused]] auto w = ::write(STDERR_FILENO, msg.data(), msg.size());
      _exit(1);
    }
    _exit(0);
  }
  ::close(ready[1]);
  int status = 0;
  ::waitpid(child, &status, 0);
  char ok = 0;
  const auto n = ::read(ready[0], &ok, 1);
  ::close(ready[0]);
  if (n != 1)
    throw RuntimeFailure(
        fmt::format("the local supervisor for {} did not start", plan.jobDir.string()));
}

}  // namespace bolo::batch
