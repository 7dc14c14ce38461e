#include "batch/JobService.hpp"

#include <fmt/format.h>

#include <chrono>
#include <thread>

#include "batch/Broker.hpp"
#include "batch/ContainerWrap.hpp"
#include "common/Error.hpp"
#include "common/Log.hpp"
#include "common/Manifest.hpp"
#include "common/StopSignal.hpp"

namespace bolo::batch {

namespace fs = std::filesystem;

JobService::JobService(SiteCatalogue catalogue, fs::path workdir, CommandRunner& runner)
    : m_catalogue(std::move(catalogue)),
      m_workdir(fs::absolute(workdir)),
      m_runner(runner),
      m_store(m_workdir / "jobs") {}

JobRecord JobService::submit(SubmitRequest request) {
  const SiteSpec& site = m_catalogue.site(request.site);
  JobRequest& job = request.job;
  validateJobRequest(job);
  const BrokerDecision decision = brokerJob(site, request.queue, job.resources);

  JobRecord record;
  record.id = m_store.newId();
  record.name = job.name.empty() ? job.command.front() : job.name;
  job.name = record.name;
  record.site = site.name;
  record.queue = decision.queue->name;
  record.backend = site.backend;
  record.command = job.command;
  record.resources = job.resources;
  record.arraySize = job.arraySize;
  record.dependsOn = request.dependsOn;
  record.workflow = request.workflow;
  record.retryOf = request.retryOf;
  record.submitted = utcNow();
  record.jobDir = m_store.jobDir(record.id);
  if (job.workdir.empty()) job.workdir = m_workdir;
  if (job.logDir.empty()) job.logDir = m_workdir / "logs";
  job.statusDir = record.jobDir;
  record.logDir = fs::absolute(job.logDir);

  job.afterOk.clear();
  for (const auto& dep : request.dependsOn) {
    const JobRecord parent = m_store.load(dep);
    if (parent.backend != site.backend || parent.site != site.name) {
      throw InputError(fmt::format("job {} runs at site {}: a dependency must be at the same site",
                                   dep, parent.site));
    }
    job.afterOk.push_back(parent.backendId);
  }
  // Container runtimes that wrap a command line: HTCondor and PanDA take the image instead.
  if (site.backend == BackendKind::kLocal || site.backend == BackendKind::kSlurm) {
    job.command = wrapInContainer(site.container, job.resources.gpus > 0, job.workdir, job.command);
  }

  std::error_code ec;
  fs::create_directories(record.jobDir, ec);
  if (ec)  // an I/O error (README exit codes): 1
    throw RuntimeFailure(
        fmt::format("{}: cannot create directory: {}", record.jobDir.string(), ec.message()));
  const auto backend = makeBackend(site.backend, m_runner);
  try {
    backend->submit(job, site, *decision.queue, record);
  } catch (...) {
    fs::remove_all(record.jobDir, ec);
    throw;
  }
  m_store.save(record);
  log::info("job {} submitted to {}/{} ({} id {})", record.id, record.site, record.queue,
            toString(record.backend), record.backendId);
  return record;
}

JobRecord JobService::refresh(const std::string& id) {
  JobRecord record = m_store.load(id);
  if (isFinal(record.state)) return record;
  const JobState before = record.state;
  makeBackend(record.backend, m_runner)->refresh(record);
  m_store.save(record);
  if (record.state != before)
    log::debug("job {}: {} -> {}", id, toString(before), toString(record.state));
  return record;
}

std::vector<JobRecord> JobService::refreshAll() {
  std::vector<JobRecord> records;
  for (const auto& r : m_store.list()) records.push_back(refresh(r.id));
  return records;
}

JobRecord JobService::wait(const std::string& id, double timeoutSeconds, double pollSeconds) {
  const auto start = std::chrono::steady_clock::now();
  for (;;) {
    JobRecord record = refresh(id);
    if (isFinal(record.state)) return record;
    const double elapsed =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (timeoutSeconds > 0 && elapsed >= timeoutSeconds) return record;
    const auto until =
        std::chrono::steady_clock::now() + std::chrono::duration<double>(pollSeconds);
    while (std::chrono::steady_clock::now() < until) {
      if (stopRequested()) {
        throw Interrupted(stopExitCode(),
                          fmt::format("stopped waiting for job {}; it keeps running", id));
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
  }
}

void JobService::cancel(const std::string& id) {
  JobRecord record = m_store.load(id);
  if (isFinal(record.state)) return;
  makeBackend(record.backend, m_runner)->cancel(record);
}

std::vector<fs::path> JobService::logFiles(const std::string& id) {
  const JobRecord record = m_store.load(id);
  return makeBackend(record.backend, m_runner)->logFiles(record);
}

}  // namespace bolo::batch
