#pragma once
// The grid through the PanDA client (prun). Submission runs prun (argument vector, no
// shell); PanDA's task states are read on its monitor, which bolo does not query: the job
// stays "submitted" with the task id and monitor link in its reason.

#include "batch/Backend.hpp"

namespace bolo::batch {

class GridBackend : public Backend {
 public:
  explicit GridBackend(CommandRunner& runner) : m_runner(runner) {}
  void submit(const JobRequest& request, const SiteSpec& site, const QueueSpec& queue,
              JobRecord& record) override;
  void refresh(JobRecord& record) override;
  void cancel(JobRecord& record) override;

 private:
  CommandRunner& m_runner;
};

/// The --outDS for a job: user.<RUCIO_ACCOUNT>.bolo.<name>.<id>; EnvironmentError without
/// RUCIO_ACCOUNT.
std::string defaultOutDataset(const std::string& name, const std::string& id);

}  // namespace bolo::batch
