#pragma once
// Submitting and following jobs in one work directory: brokers a request to a queue, hands
// it to the site's back-end, and keeps the job records in <workdir>/jobs/ up to date.
// This is what the submit/status/wait/logs verbs and the workflows use.

#include <filesystem>
#include <string>
#include <vector>

#include "batch/Backend.hpp"
#include "batch/CommandRunner.hpp"
#include "batch/JobRecord.hpp"
#include "batch/JobRequest.hpp"
#include "batch/SiteCatalogue.hpp"

namespace bolo::batch {

struct SubmitRequest {
  std::string site;                    ///< empty = the catalogue's default site
  std::string queue;                   ///< empty = let the broker choose
  JobRequest job;                      ///< afterOk is filled from dependsOn
  std::vector<std::string> dependsOn;  ///< bolo ids that must complete first
  std::string workflow;
  std::string retryOf;
};

class JobService {
 public:
  /// `runner` must outlive the service.
  JobService(SiteCatalogue catalogue, std::filesystem::path workdir, CommandRunner& runner);

  const SiteCatalogue& catalogue() const { return m_catalogue; }
  const JobStore& store() const { return m_store; }

  /// Broker, submit and record a job; InputError (exit 2) when no queue fits.
  JobRecord submit(SubmitRequest request);
  /// The record with its state brought up to date (and saved).
  JobRecord refresh(const std::string& id);
  /// All records of the work directory, refreshed.
  std::vector<JobRecord> refreshAll();
  /// Refresh every `pollSeconds` until the job is final or `timeoutSeconds` passed (0 = no
  /// limit); returns the last record. Ctrl-C stops waiting (the job keeps running).
  JobRecord wait(const std::string& id, double timeoutSeconds, double pollSeconds);
  void cancel(const std::string& id);
  std::vector<std::filesystem::path> logFiles(const std::string& id);

 private:
  SiteCatalogue m_catalogue;
  std::filesystem::path m_workdir;
  CommandRunner& m_runner;
  JobStore m_store;
};

}  // namespace bolo::batch
