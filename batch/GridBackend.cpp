#include "batch/GridBackend.hpp"

#include <fmt/format.h>

#include <cstdlib>

#include "batch/GridCommand.hpp"
#include "batch/ShellQuote.hpp"
#include "common/AtomicFile.hpp"
#include "common/Error.hpp"

namespace bolo::batch {

std::string defaultOutDataset(const std::string& name, const std::string& id) {
  const char* account = std::getenv("RUCIO_ACCOUNT");
  if (!account || !*account) {
    throw EnvironmentError(
        "RUCIO_ACCOUNT is not set: set it to your grid nickname (or pass --out-ds)");
  }
  return fmt::format("user.{}.bolo.{}.{}", account, sanitizeJobName(name), id);
}

void GridBackend::submit(const JobRequest& request, const SiteSpec& site, const QueueSpec& queue,
                         JobRecord& record) {
  GridNames names;
  names.outDataset = defaultOutDataset(request.name, record.id);
  const auto argv = renderPrunArguments(request, site, queue, names);
  writeFileAtomically(
      record.jobDir / "prun.sh",
      "#!/bin/sh\n# The prun command bolo ran, for reference.\n" + displayCommand(argv) + "\n");
  const auto result = m_runner.run(argv);
  if (result.exitCode != 0)
    throw RuntimeFailure(fmt::format("prun failed: {}", result.firstErrorLine()));
  const std::string task = parsePrunTaskId(result.out + result.err);
  record.backendId = task.empty() ? names.outDataset : task;
  record.tasks = initialTasks(0);
  record.state = JobState::kPending;
  record.reason = task.empty() ? "submitted to PanDA; follow it on the PanDA monitor"
                               : fmt::format("PanDA task {}: follow it on the PanDA monitor", task);
}

void GridBackend::refresh(JobRecord& /*record*/) {}

void GridBackend::cancel(JobRecord& record) {
  throw InputError(
      fmt::format("cancel grid task {} with pbook (kill({})): bolo does not talk to PanDA",
                  record.backendId, record.backendId));
}

}  // namespace bolo::batch
