#include "batch/JobRecord.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <random>

#include "common/AtomicFile.hpp"
#include "common/ConfigReader.hpp"
#include "common/Error.hpp"

namespace bolo::batch {

namespace fs = std::filesystem;

namespace {

/// Order of "badness" used to summarise an array: the first listed wins.
int severity(JobState s) {
  switch (s) {
    case JobState::kOutOfMemory:
      return 6;
    case JobState::kTimeout:
      return 5;
    case JobState::kFailed:
      return 4;
    case JobState::kCancelled:
      return 3;
    case JobState::kUnknown:
      return 2;
    default:
      return 0;
  }
}

}  // namespace

nlohmann::json toJson(const JobRecord& r) {
  nlohmann::json tasks = nlohmann::json::array();
  for (const auto& t : r.tasks) {
    tasks.push_back({{"index", t.index},
                     {"state", toString(t.state)},
                     {"exit_code", t.exitCode},
                     {"restarts", t.restarts},
                     {"reason", t.reason}});
  }
  const auto& res = r.resources;
  return {{"id", r.id},
          {"name", r.name},
          {"site", r.site},
          {"queue", r.queue},
          {"backend", toString(r.backend)},
          {"backend_id", r.backendId},
          {"command", r.command},
          {"resources",
           {{"gpus", res.gpus},
            {"gpu_label", res.gpuLabel},
            {"gpu_model", res.gpuModel},
            {"gpu_memory_gb", res.gpuMemoryGb},
            {"time_minutes", res.timeMinutes},
            {"memory_mb", res.memoryMb},
            {"cpus", res.cpus}}},
          {"array_size", r.arraySize},
          {"depends_on", r.dependsOn},
          {"workflow", r.workflow},
          {"retry_of", r.retryOf},
          {"state", toString(r.state)},
          {"exit_code", r.exitCode},
          {"reason", r.reason},
          {"tasks", tasks},
          {"submitted", r.submitted},
          {"finished", r.finished},
          {"log_dir", r.logDir.string()},
          {"job_dir", r.jobDir.string()}};
}

JobRecord jobRecordFromJson(const nlohmann::json& json) {
  // The task list is an array of objects, read below; the reader checks everything else.
  nlohmann::json fields = json;
  if (fields.is_object()) fields.erase("tasks");
  ConfigReader reader(fields, "job");
  JobRecord r;
  std::string backend, state, logDir, jobDir;
  reader.read("id", r.id);
  reader.read("name", r.name);
  reader.read("site", r.site);
  reader.read("queue", r.queue);
  reader.read("backend", backend);
  r.backend = backendKindFromString(backend);
  reader.read("backend_id", r.backendId);
  reader.read("command", r.command);
  auto res = reader.section("resources");
  res.read("gpus", r.resources.gpus);
  res.read("gpu_label", r.resources.gpuLabel);
  res.read("gpu_model", r.resources.gpuModel);
  res.read("gpu_memory_gb", r.resources.gpuMemoryGb);
  res.read("time_minutes", r.resources.timeMinutes);
  res.read("memory_mb", r.resources.memoryMb);
  res.read("cpus", r.resources.cpus);
  res.finish();
  reader.read("array_size", r.arraySize);
  reader.read("depends_on", r.dependsOn);
  reader.read("workflow", r.workflow);
  reader.read("retry_of", r.retryOf);
  reader.read("state", state);
  r.state = jobStateFromString(state);
  reader.read("exit_code", r.exitCode);
  reader.read("reason", r.reason);
  reader.read("submitted", r.submitted);
  reader.read("finished", r.finished);
  reader.read("log_dir", logDir);
  reader.read("job_dir", jobDir);
  r.logDir = logDir;
  r.jobDir = jobDir;
  reader.finish();
  if (json.contains("tasks")) {
    if (!json["tasks"].is_array()) throw InputError("job.tasks: expected an array");
    for (std::size_t i = 0; i < json["tasks"].size(); ++i) {
      ConfigReader t(json["tasks"][i], fmt::format("job.tasks[{}]", i));
      TaskRecord task;
      std::string taskState;
      t.read("index", task.index);
      t.read("state", taskState);
      task.state = jobStateFromString(taskState);
      t.read("exit_code", task.exitCode);
      t.read("restarts", task.restarts);
      t.read("reason", task.reason);
      t.finish();
      r.tasks.push_back(task);
    }
  }
  return r;
}

void summariseTasks(JobRecord& record) {
  if (record.tasks.empty()) return;
  bool anyRunning = false, anyPending = false, anyRequeued = false;
  const TaskRecord* worst = nullptr;
  for (const auto& t : record.tasks) {
    if (t.state == JobState::kRunning) anyRunning = true;
    if (t.state == JobState::kPending) anyPending = true;
    if (t.state == JobState::kRequeued) anyRequeued = true;
    if (severity(t.state) > 0 && (!worst || severity(t.state) > severity(worst->state))) worst = &t;
  }
  if (anyRunning) {
    record.state = JobState::kRunning;
  } else if (anyRequeued) {
    record.state = JobState::kRequeued;
  } else if (anyPending) {
    record.state = JobState::kPending;
  } else if (worst) {
    record.state = worst->state;
    record.exitCode = worst->exitCode;
    record.reason =
        record.tasks.size() > 1
            ? fmt::format("task {}: {}", worst->index,
                          worst->reason.empty() ? toString(worst->state) : worst->reason)
            : worst->reason;
  } else {
    record.state = JobState::kCompleted;
    record.exitCode = 0;
    record.reason.clear();
  }
}

JobStore::JobStore(fs::path jobsDir) : m_dir(std::move(jobsDir)) {}

std::string JobStore::newId() const {
  const std::time_t now = std::time(nullptr);
  std::tm utc{};
  gmtime_r(&now, &utc);
  char stamp[32];
  std::strftime(stamp, sizeof(stamp), "%Y%m%d-%H%M%S", &utc);
  std::random_device device;
  std::uniform_int_distribution<int> digit(0, 15);
  for (;;) {
    std::string id = stamp;
    id += '-';
    for (int i = 0; i < 4; ++i) id += "0123456789abcdef"[digit(device)];
    if (!exists(id)) return id;
  }
}

void JobStore::save(const JobRecord& record) const {
  writeFileAtomically(m_dir / (record.id + ".json"), toJson(record).dump(2) + "\n");
}

bool JobStore::exists(const std::string& id) const {
  std::error_code ec;
  return fs::exists(m_dir / (id + ".json"), ec);
}

JobRecord JobStore::load(const std::string& id) const {
  const fs::path path = m_dir / (id + ".json");
  if (id.empty() || id.find('/') != std::string::npos || !exists(id)) {
    throw InputError(fmt::format("no job '{}' in {}", id, m_dir.string()));
  }
  return jobRecordFromJson(readJsonFile(path.string()));
}

std::vector<JobRecord> JobStore::list() const {
  std::vector<JobRecord> records;
  std::error_code ec;
  if (!fs::is_directory(m_dir, ec)) return records;
  for (const auto& entry : fs::directory_iterator(m_dir)) {
    const auto name = entry.path().filename().string();
    if (entry.path().extension() != ".json" || name.front() == '.') continue;
    records.push_back(load(entry.path().stem().string()));
  }
  std::sort(records.begin(), records.end(), [](const auto& a, const auto& b) {
    return a.submitted != b.submitted ? a.submitted < b.submitted : a.id < b.id;
  });
  return records;
}

}  // namespace bolo::batch
