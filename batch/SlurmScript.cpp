#include "batch/SlurmScript.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <limits>
#include <sstream>

#include "batch/ShellQuote.hpp"
#include "common/Error.hpp"
#include "common/ParseNumber.hpp"

namespace bolo::batch {

namespace fs = std::filesystem;

namespace {

/// SLURM's own ceiling on array task ids (MaxArraySize is at most 4000001): a range in
/// squeue's output beyond it is not expanded into millions of entries.
constexpr long long kMaxArrayTaskId = 4'000'000;

/// A number in squeue/scontrol output ("0", "-1" for none); 0 when it is not one.
int slurmInt(const std::string& text) {
  return static_cast<int>(
      toInteger(text, std::numeric_limits<int>::min(), std::numeric_limits<int>::max())
          .value_or(0));
}

bool isDigits(const std::string& text) {
  return !text.empty() &&
         std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

/// SLURM expands %j, %A, ... in file names; a literal '%' in a directory must be doubled.
std::string escapePercent(const std::string& path) {
  std::string out;
  for (const char c : path) {
    out += c;
    if (c == '%') out += '%';
  }
  return out;
}

std::string absoluteText(const fs::path& path) {
  return path.empty() ? std::string() : fs::absolute(path).string();
}

/// The body that runs the payload, forwards signals and requeues after exit 75.
// clang-format off
const char* const kScriptBody = R"SH(task="${SLURM_ARRAY_TASK_ID:-0}"
placeholder='{task}'
payload=("${payload[@]//"$placeholder"/$task}")
for width in 2 3 4 5 6; do
  placeholder="{task:0$width}"
  padded=$(printf "%0${width}d" "$task")
  payload=("${payload[@]//"$placeholder"/$padded}")
done
export BOLO_BATCH_TASK="$task"
echo "bolo-job: job ${SLURM_JOB_ID:-?} task $task restart ${SLURM_RESTART_COUNT:-0} on $(hostname)" >&2

# SLURM signals this shell (--signal=B:...); pass the warning on to the payload, which saves
# its state and exits 75.
child=0
forward() { if [ "$child" -ne 0 ]; then kill -s "$1" "$child" 2>/dev/null; fi; }
trap 'forward USR1' USR1
trap 'forward TERM' TERM
"${payload[@]}" &
child=$!
while kill -0 "$child" 2>/dev/null; do wait "$child"; done
wait "$child"
status=$?
echo "bolo-job: payload exited with status $status" >&2

if [ "$status" -eq 75 ] && [ -n "${SLURM_JOB_ID:-}" ] && [ "${SLURM_RESTART_COUNT:-0}" -lt "$max_requeues" ]; then
  echo "bolo-job: payload saved its state; requeueing job $SLURM_JOB_ID" >&2
  if scontrol requeue "$SLURM_JOB_ID"; then
    sleep 60 &  # SLURM stops this shell as part of the requeue
    wait $!
    exit 75
  fi
fi
# Exit 75 is not final (the state is saved for a rerun): no exit record for it.
if [ -n "$status_dir" ] && [ "$status" -ne 75 ]; then
  mkdir -p -- "$status_dir" &&
    printf '%s\n' "$status" >"$status_dir/.exit.$task.$$" &&
    mv -f -- "$status_dir/.exit.$task.$$" "$status_dir/exit.$task"
fi
exit "$status"
)SH";
// clang-format on

}  // namespace

std::string renderSbatchScript(const JobRequest& request, const QueueSpec& queue) {
  validateJobRequest(request);
  const auto& r = request.resources;
  std::ostringstream s;
  s << "#!/bin/bash\n";
  s << "# Batch script written by bolo. Every value is a single-quoted word and the payload\n";
  s << "# runs as an argument vector: nothing here is evaluated as shell code.\n";
  s << "#SBATCH --job-name=" << sanitizeJobName(request.name) << "\n";
  s << "#SBATCH --partition=" << queue.partition << "\n";
  if (r.gpus > 0) s << "#SBATCH --gres=gpu:" << r.gpus << "\n";
  s << "#SBATCH --cpus-per-task=" << r.cpus << "\n";
  s << "#SBATCH --mem=" << r.memoryMb << "M\n";
  s << "#SBATCH --time=" << r.timeMinutes << "\n";
  if (request.isArray()) {
    const int limit = request.arrayLimit > 0 ? request.arrayLimit : queue.arrayLimit;
    s << "#SBATCH --array=" << request.arraySpec() << "%" << limit << "\n";
  }
  if (request.checkpointWarningSeconds > 0) {
    s << "#SBATCH --signal=B:USR1@" << request.checkpointWarningSeconds << "\n";
  }
  s << "#SBATCH --requeue\n";
  s << "#SBATCH --open-mode=append\n";
  if (!request.afterOk.empty()) {
    std::string ids;
    for (const auto& id : request.afterOk) {
      if (!isDigits(id)) throw InputError(fmt::format("dependency '{}' is not a SLURM job id", id));
      ids += ":" + id;
    }
    s << "#SBATCH --dependency=afterok" << ids << "\n";
    s << "#SBATCH --kill-on-invalid-dep=yes\n";
  }
  s << "set -u\n";
  s << "payload=(" << shellJoin(request.command) << ")\n";
  s << "status_dir=" << shellQuote(absoluteText(request.statusDir)) << "\n";
  s << "max_requeues=" << request.maxRequeues << "\n";
  if (!request.workdir.empty())
    s << "export BOLO_WORKDIR=" << shellQuote(absoluteText(request.workdir)) << "\n";
  s << kScriptBody;
  return s.str();
}

std::string slurmLogPattern(const JobRequest& request) {
  const fs::path dir = request.logDir.empty() ? fs::current_path() : fs::absolute(request.logDir);
  const std::string file =
      sanitizeJobName(request.name) + (request.isArray() ? "-%A_%a.log" : "-%j.log");
  return escapePercent(dir.string()) + "/" + file;
}

std::vector<std::string> sbatchArguments(const JobRequest& request, const fs::path& scriptPath) {
  std::vector<std::string> argv = {"sbatch", "--parsable"};
  if (!request.workdir.empty()) argv.push_back("--chdir=" + absoluteText(request.workdir));
  argv.push_back("--output=" + slurmLogPattern(request));
  argv.push_back(fs::absolute(scriptPath).string());
  return argv;
}

std::string parseSbatchJobId(const std::string& output) {
  std::istringstream lines(output);
  std::string line;
  while (std::getline(lines, line)) {
    const std::string id = line.substr(0, line.find(';'));
    if (isDigits(id)) return id;
  }
  throw RuntimeFailure(fmt::format("sbatch printed no job id: '{}'", output));
}

JobState jobStateFromSlurm(const std::string& s) {
  if (s == "PENDING" || s == "CONFIGURING" || s == "SUSPENDED" || s == "REQUEUE_HOLD" ||
      s == "RESV_DEL_HOLD" || s == "STOPPED") {
    return JobState::kPending;
  }
  if (s == "RUNNING" || s == "COMPLETING" || s == "STAGE_OUT" || s == "SIGNALING" ||
      s == "RESIZING") {
    return JobState::kRunning;
  }
  if (s == "REQUEUED" || s == "REQUEUE_FED" || s == "PREEMPTED") return JobState::kRequeued;
  if (s == "COMPLETED") return JobState::kCompleted;
  if (s == "FAILED" || s == "NODE_FAIL" || s == "BOOT_FAIL" || s == "SPECIAL_EXIT")
    return JobState::kFailed;
  if (s == "TIMEOUT" || s == "DEADLINE") return JobState::kTimeout;
  if (s == "CANCELLED") return JobState::kCancelled;
  if (s == "OUT_OF_MEMORY") return JobState::kOutOfMemory;
  return JobState::kUnknown;
}

std::vector<SlurmJobInfo> parseScontrolShowJob(const std::string& output) {
  std::vector<SlurmJobInfo> jobs;
  std::istringstream lines(output);
  std::string line;
  while (std::getline(lines, line)) {
    if (line.rfind("JobId=", 0) != 0) continue;
    // Key=Value words separated by spaces; a word without '=' continues the previous value
    // (values such as Command or WorkDir may contain spaces).
    std::vector<std::pair<std::string, std::string>> fields;
    std::istringstream words(line);
    std::string word;
    while (words >> word) {
      const auto eq = word.find('=');
      if (eq == std::string::npos || eq == 0) {
        if (!fields.empty()) fields.back().second += " " + word;
        continue;
      }
      fields.emplace_back(word.substr(0, eq), word.substr(eq + 1));
    }
    SlurmJobInfo job;
    for (const auto& [key, value] : fields) {
      if (key == "JobId")
        job.jobId = value;
      else if (key == "ArrayJobId")
        job.arrayJobId = value;
      else if (key == "ArrayTaskId")
        job.arrayTaskId = value;
      else if (key == "JobState")
        job.rawState = value;
      else if (key == "Reason")
        job.reason = value;
      else if (key == "Restarts")
        job.restarts = slurmInt(value);
      else if (key == "ExitCode") {
        const auto colon = value.find(':');
        job.exitCode = slurmInt(value.substr(0, colon));
        if (colon != std::string::npos) job.exitSignal = slurmInt(value.substr(colon + 1));
      }
    }
    job.state = jobStateFromSlurm(job.rawState);
    jobs.push_back(job);
  }
  return jobs;
}

std::vector<int> expandTaskRange(const std::string& text) {
  std::vector<int> tasks;
  const std::string list = text.substr(0, text.find('%'));
  std::istringstream parts(list);
  std::string part;
  while (std::getline(parts, part, ',')) {
    const auto dash = part.find('-');
    const std::string first = part.substr(0, dash);
    if (!isDigits(first)) continue;
    const auto lo = toInteger(first, 0, kMaxArrayTaskId);
    if (!lo) continue;
    auto hi = lo;
    if (dash != std::string::npos) {
      const std::string last = part.substr(dash + 1, part.find(':') - dash - 1);
      hi = toInteger(last, *lo, kMaxArrayTaskId);
      if (!hi) continue;
    }
    for (auto t = *lo; t <= *hi; ++t) tasks.push_back(static_cast<int>(t));
  }
  return tasks;
}

}  // namespace bolo::batch
