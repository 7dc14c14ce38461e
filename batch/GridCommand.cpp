#include "batch/GridCommand.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <regex>

#include "batch/ShellQuote.hpp"
#include "common/Error.hpp"

namespace bolo::batch {

namespace {

/// Dataset names are plain tokens (scope.name); anything else is refused rather than quoted.
void requireDatasetName(const std::string& name, const std::string& what) {
  static const std::regex kPattern("[A-Za-z0-9][A-Za-z0-9._:/-]*");
  if (!std::regex_match(name, kPattern)) {
    throw InputError(fmt::format("{} '{}' is not a valid dataset name", what, name));
  }
}

std::string join(const std::vector<std::string>& items, const std::string& what) {
  std::string out;
  for (const auto& item : items) {
    if (item.find_first_of(",%") != std::string::npos || item.empty() || item.front() == '-') {
      throw InputError(
          fmt::format("{} '{}' cannot be passed to prun (comma, '%' or leading '-')", what, item));
    }
    requireSingleLine(item, what);
    if (!out.empty()) out += ',';
    out += item;
  }
  return out;
}

}  // namespace

std::vector<std::string> renderPrunArguments(const JobRequest& request, const SiteSpec& site,
                                             const QueueSpec& queue, const GridNames& names) {
  validateJobRequest(request);
  if (!request.afterOk.empty()) {
    throw InputError(
        "grid jobs with dependencies are not supported: submit the steps one after another");
  }
  if (!request.arrayTasks.empty()) {
    throw InputError(
        "grid retries of single sub-jobs are PanDA's job (it retries failed jobs itself)");
  }
  requireDatasetName(names.outDataset, "--outDS");
  // prun substitutes %IN, %RNDM, ... in --exec: a '%' from a value would be rewritten.
  std::vector<std::string> words;
  for (const auto& arg : request.command) {
    if (arg.find("{task:") != std::string::npos) {
      throw InputError(fmt::format(
          "job argument '{}': grid sub-jobs get input files (%IN), not task numbers", arg));
    }
    if (arg.find('%') != std::string::npos) {
      throw InputError(
          fmt::format("job argument '{}' contains '%', which prun would substitute", arg));
    }
    // Quote the pieces around "{task}" and put %IN between them, outside any quotes, so
    // that prun sees and substitutes it.
    std::string word;
    std::size_t from = 0;
    const std::string placeholder = kTaskPlaceholder;
    for (auto pos = arg.find(placeholder); pos != std::string::npos;
         pos = arg.find(placeholder, from)) {
      if (pos > from) word += shellQuoteIfNeeded(arg.substr(from, pos - from));
      word += "%IN";
      from = pos + placeholder.size();
    }
    if (from < arg.size() || word.empty()) word += shellQuoteIfNeeded(arg.substr(from));
    words.push_back(word);
  }
  std::string exec;
  for (const auto& w : words) {
    if (!exec.empty()) exec += ' ';
    exec += w;
  }

  std::vector<std::string> argv = {"prun", "--exec", exec, "--outDS", names.outDataset};
  if (!names.inDataset.empty()) {
    requireDatasetName(names.inDataset, "--inDS");
    argv.insert(argv.end(), {"--inDS", names.inDataset});
  }
  if (!request.outputFiles.empty())
    argv.insert(argv.end(), {"--outputs", join(request.outputFiles, "output file")});
  if (!request.inputFiles.empty() && names.inDataset.empty()) {
    argv.insert(argv.end(), {"--extFile", join(request.inputFiles, "input file")});
  }
  if (request.isArray()) {
    if (names.inDataset.empty()) {
      argv.insert(argv.end(), {"--nJobs", std::to_string(request.arraySize)});
    } else {
      argv.insert(argv.end(), {"--nFilesPerJob", "1"});
    }
  }
  if (site.container.runtime != "none") {
    std::string image = site.container.image;
    if (image.find("://") == std::string::npos) image = "docker://" + image;
    requireSingleLine(image, "container image");
    argv.insert(argv.end(), {"--containerImage", image});
  }
  const auto& r = request.resources;
  if (r.gpus > 0) {
    std::string vendor = queue.label.substr(0, queue.label.find('-'));
    std::string arch = "&" + vendor;
    if (!r.gpuModel.empty()) {
      std::string model = r.gpuModel;
      std::transform(model.begin(), model.end(), model.begin(),
                     [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
      requireDatasetName(model, "GPU model");
      arch += "-" + model;
    }
    argv.insert(argv.end(), {"--architecture", arch});
  }
  argv.insert(argv.end(), {"--site", site.gridSite, "--memory", std::to_string(r.memoryMb),
                           "--maxCpuCount", std::to_string(r.timeMinutes * 60), "--noBuild"});
  return argv;
}

std::string displayCommand(const std::vector<std::string>& argv) {
  std::string out;
  for (const auto& word : argv) {
    if (!out.empty()) out += ' ';
    out += shellQuoteIfNeeded(word);
  }
  return out;
}

std::string parsePrunTaskId(const std::string& output) {
  static const std::regex kTask("jediTaskID=([0-9]+)");
  std::smatch match;
  if (std::regex_search(output, match, kTask)) return match[1];
  return {};
}

}  // namespace bolo::batch
