#pragma once
// SLURM through sbatch, scontrol and scancel. States come from `scontrol show job` while
// SLURM remembers the job (no accounting database is assumed), then from the exit records
// the batch script writes into the job directory.

#include "batch/Backend.hpp"

namespace bolo::batch {

class SlurmBackend : public Backend {
 public:
  explicit SlurmBackend(CommandRunner& runner) : m_runner(runner) {}
  void submit(const JobRequest& request, const SiteSpec& site, const QueueSpec& queue,
              JobRecord& record) override;
  void refresh(JobRecord& record) override;
  void cancel(JobRecord& record) override;

 private:
  CommandRunner& m_runner;
};

/// Apply `scontrol show job` answers to the record's tasks.
void applySlurmInfo(const std::vector<struct SlurmJobInfo>& infos, JobRecord& record);
/// Tasks SLURM no longer knows: final from <jobDir>/exit.<task>, else UNKNOWN.
void applyExitRecords(JobRecord& record);

}  // namespace bolo::batch
