#pragma once
// HTCondor through condor_submit, condor_q / condor_history (-json) and condor_rm.
// Untested against a live pool: rendering and parsing are pinned by golden files and
// recorded outputs.

#include "batch/Backend.hpp"

namespace bolo::batch {

class CondorBackend : public Backend {
 public:
  explicit CondorBackend(CommandRunner& runner) : m_runner(runner) {}
  void submit(const JobRequest& request, const SiteSpec& site, const QueueSpec& queue,
              JobRecord& record) override;
  void refresh(JobRecord& record) override;
  void cancel(JobRecord& record) override;
  std::vector<std::filesystem::path> logFiles(const JobRecord& record) const override;

 private:
  CommandRunner& m_runner;
};

}  // namespace bolo::batch
