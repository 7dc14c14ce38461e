#include "ftag/ScanResults.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include "common/AtomicFile.hpp"
#include "common/ConfigReader.hpp"
#include "common/Error.hpp"
#include "common/GnuplotFigure.hpp"

namespace bolo {

namespace fs = std::filesystem;

nlohmann::json toJson(const ScanResult& r) {
  nlohmann::json out = {{"id", r.combination.id},
                        {"status", r.status},
                        {"hyperparameters", toJson(r.combination)},
                        {"best_validation_loss", std::isfinite(r.bestValidationLoss)
                                                     ? nlohmann::json(r.bestValidationLoss)
                                                     : nlohmann::json()},
                        {"best_epoch", r.bestEpoch},
                        {"epochs", r.epochs},
                        {"validation_loss", r.validationLoss},
                        {"wall_seconds", r.wallSeconds},
                        {"device", r.device},
                        {"host", r.host},
                        {"job", r.job}};
  if (!r.reason.empty()) out["reason"] = r.reason;
  return out;
}

ScanResult scanResultFromJson(const nlohmann::json& json, const std::string& origin) {
  ScanResult r;
  ConfigReader reader(json, origin);
  std::string id;
  reader.read("id", id);
  reader.readChoice("status", r.status, {"completed", "failed", "pruned"});
  if (!json.contains("hyperparameters"))
    reader.fail("hyperparameters", "the combination's hyper-parameters");
  reader.section("hyperparameters");
  r.combination = scanCombinationFromJson(json.at("hyperparameters"), origin + ".hyperparameters");
  if (id != r.combination.id)
    reader.fail("id", fmt::format("the id of the hyper-parameters ({})", r.combination.id));
  // A failed combination may have no loss (null); every other result must have one.
  const auto loss = json.find("best_validation_loss");
  if (loss != json.end() && loss->is_number()) {
    r.bestValidationLoss = loss->get<double>();
  } else if (r.status != "failed" || (loss != json.end() && !loss->is_null())) {
    reader.fail("best_validation_loss", "a number");
  } else {
    r.bestValidationLoss = std::numeric_limits<double>::quiet_NaN();
  }
  reader.read("best_epoch", r.bestEpoch);
  reader.read("epochs", r.epochs);
  reader.read("validation_loss", r.validationLoss);
  reader.read("wall_seconds", r.wallSeconds);
  reader.read("device", r.device);
  reader.read("host", r.host);
  long long job = 0;
  reader.read("job", job);
  r.job = static_cast<std::size_t>(std::max(0LL, job));
  reader.read("reason", r.reason);
  for (const auto& [key, value] : json.items()) {
    static const std::set<std::string> known = {"id",
                                                "status",
                                                "hyperparameters",
                                                "best_validation_loss",
                                                "best_epoch",
                                                "epochs",
                                                "validation_loss",
                                                "wall_seconds",
                                                "device",
                                                "host",
                                                "job",
                                                "reason"};
    if (!known.count(key)) throw InputError(fmt::format("{}.{}: unknown key", origin, key));
  }
  return r;
}

fs::path scanResultPath(const fs::path& resultsDir, const std::string& id) {
  return resultsDir / (id + ".json");
}

void writeScanResult(const fs::path& resultsDir, const ScanResult& result) {
  fs::create_directories(resultsDir);
  writeFileAtomically(scanResultPath(resultsDir, result.combination.id),
                      toJson(result).dump(2) + "\n");
}

std::optional<ScanResult> readScanResult(const fs::path& resultsDir, const std::string& id) {
  const auto path = scanResultPath(resultsDir, id);
  if (!fs::exists(path)) return std::nullopt;
  try {
    auto r = scanResultFromJson(readJsonFile(path.string()), path.string());
    if (r.combination.id != id) return std::nullopt;
    return r;
  } catch (const InputError&) {
    return std::nullopt;
  }
}

ScanCollection collectScanResults(const std::vector<ScanCombination>& plan,
                                  const std::vector<fs::path>& resultDirs) {
  ScanCollection c;
  std::set<std::string> planned;
  for (const auto& p : plan) planned.insert(p.id);
  std::map<std::string, ScanResult> found;
  std::set<std::string> duplicated;
  for (const auto& dir : resultDirs) {
    if (!fs::is_directory(dir))
      throw InputError(fmt::format("{}: results directory not found", dir.string()));
    std::vector<fs::path> files;
    for (const auto& entry : fs::directory_iterator(dir)) {
      const auto name = entry.path().filename().string();
      if (entry.is_regular_file() && entry.path().extension() == ".json" && name[0] != '.')
        files.push_back(entry.path());
    }
    std::sort(files.begin(), files.end());
    for (const auto& file : files) {
      ScanResult r;
      try {
        r = scanResultFromJson(readJsonFile(file.string()), file.filename().string());
      } catch (const InputError& e) {
        c.corrupted.emplace_back(file.string(), e.what());
        continue;
      }
      const auto& id = r.combination.id;
      if (!planned.count(id)) {
        c.unknown.push_back(file.string());
        continue;
      }
      if (found.count(id)) {
        duplicated.insert(id);
        // Keep a completed result over a failed one, then the lower loss.
        const auto& old = found[id];
        const bool better =
            (r.status == "completed" && old.status != "completed") ||
            (r.status == old.status && r.bestValidationLoss < old.bestValidationLoss);
        if (!better) continue;
      }
      found[id] = r;
    }
  }
  for (const auto& p : plan) {
    const auto it = found.find(p.id);
    if (it == found.end()) {
      c.missing.push_back(p.id);
      continue;
    }
    auto& r = it->second;
    (r.status == "completed" ? c.completed
     : r.status == "pruned"  ? c.pruned
                             : c.failed)
        .push_back(r);
  }
  c.duplicates.assign(duplicated.begin(), duplicated.end());
  auto byLoss = [](const ScanResult& a, const ScanResult& b) {
    if (a.bestValidationLoss != b.bestValidationLoss)
      return a.bestValidationLoss < b.bestValidationLoss;
    return a.combination.id < b.combination.id;
  };
  std::sort(c.completed.begin(), c.completed.end(), byLoss);
  std::sort(c.pruned.begin(), c.pruned.end(), byLoss);
  return c;
}

nlohmann::json reportJson(const ScanCollection& c) {
  nlohmann::json failed = nlohmann::json::array(), corrupted = nlohmann::json::array();
  for (const auto& r : c.failed) failed.push_back({{"id", r.combination.id}, {"reason", r.reason}});
  for (const auto& [file, reason] : c.corrupted)
    corrupted.push_back({{"file", file}, {"reason", reason}});
  nlohmann::json out = {{"completed", c.completed.size()},
                        {"pruned", c.pruned.size()},
                        {"failed", failed},
                        {"missing", c.missing},
                        {"duplicates", c.duplicates},
                        {"unknown", c.unknown},
                        {"corrupted", corrupted}};
  if (!c.completed.empty()) out["best"] = toJson(c.completed.front());
  return out;
}

namespace {

std::vector<const ScanResult*> allRows(const ScanCollection& c) {
  std::vector<const ScanResult*> rows;
  for (const auto* list : {&c.completed, &c.pruned, &c.failed}) {
    for (const auto& r : *list) rows.push_back(&r);
  }
  return rows;
}

}  // namespace

std::string scanTableCsv(const ScanCollection& c) {
  std::string out =
      "id,status,layer1,layer2,layer3,learning_rate,batch_size,activation,best_validation_loss,"
      "best_epoch,epochs,"
      "wall_seconds,device,job,reason\n";
  for (const auto* r : allRows(c)) {
    const auto& h = r->combination;
    std::string reason = r->reason;
    std::replace(reason.begin(), reason.end(), '"', '\'');
    out += fmt::format(
        "{},{},{},{},{},{:.6g},{},{},{},{},{},{:.3f},{},{},\"{}\"\n", h.id, r->status,
        h.layers.at(0), h.layers.size() > 1 ? h.layers[1] : 0,
        h.layers.size() > 2 ? h.layers[2] : 0, h.learningRate, h.batchSize, h.activation,
        std::isfinite(r->bestValidationLoss) ? fmt::format("{:.6f}", r->bestValidationLoss) : "",
        r->bestEpoch, r->epochs, r->wallSeconds, r->device, r->job, reason);
  }
  return out;
}

nlohmann::json scanTableJson(const ScanCollection& c) {
  nlohmann::json rows = nlohmann::json::array();
  for (const auto* r : allRows(c)) rows.push_back(toJson(*r));
  return rows;
}

const ScanResult& selectByRank(const ScanCollection& c, const std::string& which) {
  if (c.completed.empty())
    throw InputError("no completed combinations to choose from (run and collect the scan)");
  if (which == "best") return c.completed.front();
  if (which == "worst") return c.completed.back();
  if (which == "medium") return c.completed[c.completed.size() / 2];
  throw InputError(fmt::format("unknown choice '{}': valid are best, medium, worst", which));
}

std::vector<fs::path> drawParallelCoordinates(const fs::path& stem, const ScanCollection& c,
                                              const ScanSpace& space) {
  if (c.completed.empty()) return {};
  auto indexOf = [&](const std::string& activation) {
    const auto it = std::find(space.activations.begin(), space.activations.end(), activation);
    return static_cast<long>(it - space.activations.begin());
  };
  auto row = [&](const ScanResult& r, int colour) {
    const auto& h = r.combination;
    return fmt::format("{} {} {} {:.4f} {} {} {:.6f} {}\n", h.layers.at(0),
                       h.layers.size() > 1 ? h.layers[1] : 0, h.layers.size() > 2 ? h.layers[2] : 0,
                       std::log10(h.learningRate), h.batchSize, indexOf(h.activation),
                       r.bestValidationLoss, colour);
  };
  GnuplotFigure figure;
  figure.stem = stem;
  figure.widthPixels = 1200;
  // Worst first so that the best, in red, is drawn last and on top.
  std::string all =
      "# layer1 layer2 layer3 log10_lr batch_size activation best_validation_loss colour\n";
  for (auto it = c.completed.rbegin(); it != c.completed.rend(); ++it) {
    all += row(*it, &*it == &c.completed.front() ? 0xdd0000 : 0xaaaaaa);
  }
  figure.data["all"] = all;
  std::string activationTics;
  for (std::size_t i = 0; i < space.activations.size(); ++i) {
    activationTics += fmt::format("{}{} {}", i ? ", " : "", gnuplotQuote(space.activations[i]), i);
  }
  const auto& best = c.completed.front();
  figure.script = fmt::format(
      "set title {}\n"
      "set xtics ('layer 1' 1, 'layer 2' 2, 'layer 3' 3, 'log10 learning rate' 4, 'batch size' 5, "
      "'activation' 6, "
      "'validation loss' 7)\n"
      "set for [i=1:7] paxis i tics\n"
      "set paxis 6 range [-0.2:{}]\nset paxis 6 tics ({})\n"
      "unset ytics\nset border 0\nset key off\n"
      "plot for [i=1:7] data_all using i:8 with parallel lw 1.5 lc rgb variable\n",
      gnuplotQuote(fmt::format("Hyper-parameter scan: {} combinations; best in red: [{}] {} lr {} "
                               "batch {} (loss {:.4f})",
                               c.completed.size(), fmt::join(best.combination.layers, "-"),
                               best.combination.activation, best.combination.learningRate,
                               best.combination.batchSize, best.bestValidationLoss)),
      static_cast<double>(space.activations.size()) - 0.8, activationTics);
  return renderFigure(figure);
}

}  // namespace bolo
