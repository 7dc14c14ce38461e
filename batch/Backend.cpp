#include "batch/Backend.hpp"

#include <algorithm>

#include "batch/CondorBackend.hpp"
#include "batch/GridBackend.hpp"
#include "batch/LocalBackend.hpp"
#include "batch/ShellQuote.hpp"
#include "batch/SlurmBackend.hpp"

namespace bolo::batch {

namespace fs = std::filesystem;

std::vector<fs::path> Backend::logFiles(const JobRecord& record) const {
  std::vector<fs::path> files;
  std::error_code ec;
  if (record.logDir.empty() || !fs::is_directory(record.logDir, ec)) return files;
  const std::string prefix = sanitizeJobName(record.name) + "-" + record.backendId;
  for (const auto& entry : fs::directory_iterator(record.logDir, ec)) {
    const std::string name = entry.path().filename().string();
    if (name.rfind(prefix, 0) != 0) continue;
    const std::string rest = name.substr(prefix.size());
    if (rest == ".log" || (rest.size() > 1 && rest.front() == '_')) files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

std::unique_ptr<Backend> makeBackend(BackendKind kind, CommandRunner& runner) {
  switch (kind) {
    case BackendKind::kLocal:
      return std::make_unique<LocalBackend>();
    case BackendKind::kSlurm:
      return std::make_unique<SlurmBackend>(runner);
    case BackendKind::kHtcondor:
      return std::make_unique<CondorBackend>(runner);
    case BackendKind::kGrid:
      return std::make_unique<GridBackend>(runner);
  }
  return std::make_unique<LocalBackend>();
}

std::vector<TaskRecord> initialTasks(int arraySize) {
  std::vector<TaskRecord> tasks(static_cast<std::size_t>(std::max(arraySize, 1)));
  for (std::size_t i = 0; i < tasks.size(); ++i) tasks[i].index = static_cast<int>(i);
  return tasks;
}

std::vector<TaskRecord> initialTasks(const JobRequest& request) {
  std::vector<TaskRecord> tasks;
  for (const int index : request.taskIndices()) {
    TaskRecord t;
    t.index = index;
    tasks.push_back(t);
  }
  return tasks;
}

}  // namespace bolo::batch
