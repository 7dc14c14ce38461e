#include "calo/nn/BestIterationRun.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>

#include "common/AtomicFile.hpp"
#include "common/Error.hpp"
#include "common/GnuplotFigure.hpp"
#include "common/JsonParse.hpp"
#include "common/Log.hpp"
#include "common/Manifest.hpp"
#include "common/Progress.hpp"
#include "common/StopSignal.hpp"

namespace bolo::nn {

namespace fs = std::filesystem;

const CheckpointScore& bestScore(const std::vector<CheckpointScore>& scores) {
  if (scores.empty()) throw InputError("no scored checkpoint to choose from");
  return *std::min_element(scores.begin(), scores.end(), [](const auto& a, const auto& b) {
    if (a.chi2PerNdf() != b.chi2PerNdf()) return a.chi2PerNdf() < b.chi2PerNdf();
    return a.iteration < b.iteration;
  });
}

namespace {

/// The cache key: results are reusable only for the same reference and settings.
nlohmann::json cacheKey(const BestIterRequest& r) {
  auto settings = toJson(r.settings);
  settings.erase("batch");  // the batch changes speed, not results
  return {{"reference", r.referenceKey}, {"settings", settings}};
}

/// Previously scored checkpoints, by GAN, keyed "iteration:crc32".
std::map<std::string, std::map<std::string, CheckpointScore>> readCache(const BestIterRequest& r) {
  std::map<std::string, std::map<std::string, CheckpointScore>> cache;
  const fs::path file = r.outputDir / "bestiter.json";
  std::error_code ec;
  if (!fs::exists(file, ec)) return cache;
  try {
    const auto json = parseJson(readFile(file), file.string());
    if (json.at("cache_key") != cacheKey(r)) {
      log::info(
          "bestiter: reference or settings changed since the last pass: scoring every checkpoint "
          "again");
      return cache;
    }
    for (const auto& [gan, entry] : json.at("gans").items()) {
      for (const auto& e : entry.at("evaluations")) {
        auto s = checkpointScoreFromJson(e);
        cache[gan][fmt::format("{}:{}", s.iteration, s.crc32)] = s;
      }
    }
  } catch (const std::exception& e) {
    log::warn("bestiter: ignoring unreadable {} ({})", file.string(), e.what());
    cache.clear();
  }
  return cache;
}

std::string energyLabel(double mev) {
  return fmt::format("{:g}", mev);
}

void writeCsv(const fs::path& file,
              const std::map<std::string, std::vector<CheckpointScore>>& scores,
              const std::map<std::string, long long>& best) {
  std::vector<double> energies;
  for (const auto& [gan, list] : scores) {
    for (const auto& s : list) {
      for (const auto& p : s.points) {
        if (p.observable == "total") energies.push_back(p.energyMeV);
      }
    }
  }
  std::sort(energies.begin(), energies.end());
  energies.erase(std::unique(energies.begin(), energies.end()), energies.end());
  std::string text = "gan,iteration,best,chi2,ndf,chi2_ndf";
  for (double e : energies) text += fmt::format(",chi2_ndf_total_{}MeV", energyLabel(e));
  text += ",checkpoint\n";
  for (const auto& [gan, list] : scores) {
    for (const auto& s : list) {
      text += fmt::format("{},{},{},{:.6g},{},{:.6g}", gan, s.iteration,
                          best.at(gan) == s.iteration ? 1 : 0, s.chi2, s.ndf, s.chi2PerNdf());
      for (double e : energies) {
        const auto it = std::find_if(s.points.begin(), s.points.end(), [&](const PointScore& p) {
          return p.observable == "total" && p.energyMeV == e;
        });
        text +=
            it == s.points.end() || it->ndf == 0 ? "," : fmt::format(",{:.6g}", it->chi2 / it->ndf);
      }
      text += "," + s.checkpoint + "\n";
    }
  }
  writeFileAtomically(file, text);
}

void plotChi2(const fs::path& dir,
              const std::map<std::string, std::vector<CheckpointScore>>& scores,
              const std::map<std::string, long long>& best, const std::string& run) {
  GnuplotFigure figure;
  figure.stem = dir / "chi2_vs_iteration";
  std::string plot = "plot ";
  std::string bestBlock = "# gan iteration chi2_ndf\n";
  int index = 0;
  for (const auto& [gan, list] : scores) {
    std::string block = "# iteration chi2_ndf\n";
    for (const auto& s : list) {
      block += fmt::format("{} {:.8g}\n", s.iteration, s.chi2PerNdf());
      if (best.at(gan) == s.iteration)
        bestBlock += fmt::format("{} {:.8g}\n", s.iteration, s.chi2PerNdf());
    }
    figure.data["gan_" + gan] = block;
    plot += fmt::format(
        "{}data_gan_{} using 1:2 with linespoints lw 1.5 pt 7 ps 0.6 lc {} title 'GAN {}'",
        index > 0 ? ", " : "", gan, index + 1, gan);
    ++index;
  }
  figure.data["best"] = bestBlock;
  plot += ", data_best using 1:2 with points pt 7 ps 2 lc rgb 'red' title 'best iteration'";
  figure.script = fmt::format(
      "set title {}\nset xlabel 'iteration'\nset ylabel 'chi2/NDF (total energy per energy point, "
      "combined)'\n"
      "set logscale y\nset grid\n{}",
      gnuplotQuote(fmt::format("Best-iteration selection: run {}", run)), plot);
  renderFigure(figure);
}

void plotBestHistograms(const fs::path& dir, const CheckpointScore& score) {
  for (const auto& p : score.points) {
    if (p.observable != "total" || p.edges.empty()) continue;
    GnuplotFigure figure;
    figure.stem = dir / fmt::format("best_{}_{}MeV", score.gan, energyLabel(p.energyMeV));
    std::string block = "# low high reference generated ratio\n";
    for (std::size_t i = 0; i < p.reference.size(); ++i) {
      const double ratio = p.reference[i] > 0 ? p.generated[i] / p.reference[i] : NAN;
      block += fmt::format("{:.8g} {:.8g} {:.8g} {:.8g} {:.8g}\n", p.edges[i], p.edges[i + 1],
                           p.reference[i], p.generated[i], ratio);
    }
    figure.data["hist"] = block;
    figure.script = fmt::format(
        "set multiplot\n"
        "set lmargin at screen 0.12\nset rmargin at screen 0.95\n"
        "set tmargin at screen 0.92\nset bmargin at screen 0.35\n"
        "set title {}\nset ylabel 'showers'\nset format x ''\nset grid\n"
        "plot data_hist using (($1+$2)/2):3 with histeps lw 2 lc rgb 'black' title 'reference', "
        "\\\n"
        "     data_hist using (($1+$2)/2):4 with histeps lw 2 lc rgb 'red' title 'GAN (iteration "
        "{})'\n"
        "unset title\nset tmargin at screen 0.33\nset bmargin at screen 0.1\nset format x '%g'\n"
        "set xlabel 'total deposited energy [MeV]'\nset ylabel 'GAN / ref.'\nset yrange [0:2]\nset "
        "ytics 0.5\n"
        "plot data_hist using (($1+$2)/2):5 with points pt 7 ps 0.7 lc rgb 'red' notitle, 1 with "
        "lines lc rgb "
        "'black' notitle\n"
        "unset multiplot",
        gnuplotQuote(fmt::format("E_{{inc}} = {} MeV: chi^2/NDF = {:.2f}", energyLabel(p.energyMeV),
                                 p.ndf ? p.chi2 / p.ndf : 0.0)),
        score.iteration);
    renderFigure(figure);
  }
}

}  // namespace

BestIterOutcome runBestIteration(const BestIterRequest& r, const ReferenceSample& reference) {
  fs::create_directories(r.outputDir);
  auto cache = readCache(r);
  BestIterOutcome outcome;
  std::map<std::string, std::vector<CheckpointInfo>> checkpoints;
  std::size_t todo = 0;
  for (const auto& [gan, dir] : r.gans) {
    checkpoints[gan] = listCheckpoints(dir);
    if (checkpoints[gan].empty())
      throw InputError(fmt::format("no valid checkpoint in {}: train first", dir.string()));
    for (const auto& c : checkpoints[gan]) {
      if (!cache[gan].count(fmt::format("{}:{}", c.iteration, c.meta.value("crc32", 0u)))) ++todo;
    }
  }
  std::map<std::string, std::vector<CheckpointScore>> scores;
  nlohmann::json report = {{"run", r.run},
                           {"particle", r.particle},
                           {"cache_key", cacheKey(r)},
                           {"settings", toJson(r.settings)},
                           {"device", r.device},
                           {"gans", nlohmann::json::object()}};
  auto writeReport = [&](bool final) {
    std::map<std::string, long long> best;
    for (auto& [gan, list] : scores) {
      std::sort(list.begin(), list.end(),
                [](const auto& a, const auto& b) { return a.iteration < b.iteration; });
      nlohmann::json evaluations = nlohmann::json::array();
      for (const auto& s : list) evaluations.push_back(toJson(s));
      report["gans"][gan] = {{"evaluations", evaluations}};
      if (list.empty()) continue;
      const auto& b = bestScore(list);
      best[gan] = b.iteration;
      report["gans"][gan]["best"] = {
          {"iteration", b.iteration}, {"chi2_ndf", b.chi2PerNdf()}, {"checkpoint", b.checkpoint}};
    }
    report["updated"] = utcNow();
    writeFileAtomically(r.outputDir / "bestiter.json", report.dump(2) + "\n");
    if (final) writeCsv(r.outputDir / "bestiter.csv", scores, best);
    return best;
  };

  ProgressReporter progress("bestiter", todo, "checkpoints");
  for (const auto& [gan, dir] : r.gans) {
    for (const auto& c : checkpoints[gan]) {
      const auto key = fmt::format("{}:{}", c.iteration, c.meta.value("crc32", 0u));
      if (const auto it = cache[gan].find(key); it != cache[gan].end()) {
        scores[gan].push_back(it->second);
        ++outcome.reused;
        continue;
      }
      if (stopRequested()) {
        writeReport(false);
        throw stopError(fmt::format("{} checkpoint score(s) in {}", outcome.evaluated,
                                    (r.outputDir / "bestiter.json").string()));
      }
      scores[gan].push_back(scoreCheckpoint(c, reference, r.settings, r.device, false));
      ++outcome.evaluated;
      progress.update(outcome.evaluated);
      if (outcome.evaluated % 10 == 0) writeReport(false);  // a kill loses at most ten scores
    }
  }
  progress.finish();
  const auto best = writeReport(true);

  // The best checkpoint of every GAN becomes the default model of `bolo generate`.
  nlohmann::json bestRecord = {{"run", r.run},
                               {"particle", r.particle},
                               {"checkpoints", nlohmann::json::object()},
                               {"iterations", nlohmann::json::object()}};
  double chi2 = 0;
  int ndf = 0;
  std::vector<CheckpointScore> bestScores;
  for (const auto& [gan, list] : scores) {
    const auto& b = bestScore(list);
    fs::path sidecar = b.checkpoint;
    sidecar.replace_extension(".json");
    bestRecord["checkpoints"][gan] = sidecar.string();
    bestRecord["iterations"][gan] = b.iteration;
    chi2 += b.chi2;
    ndf += b.ndf;
    bestScores.push_back(b);
  }
  bestRecord["chi2_ndf"] = ndf ? chi2 / ndf : 0.0;
  report["best"] = bestRecord;
  if (scores.size() > 1) {
    // Photons: the combined figure over all energies, for the best pair and per iteration
    // where every GAN has a checkpoint.
    nlohmann::json perIteration = nlohmann::json::array();
    std::map<long long, std::pair<double, int>> sums;
    std::map<long long, std::size_t> count;
    for (const auto& [gan, list] : scores) {
      for (const auto& s : list) {
        sums[s.iteration].first += s.chi2;
        sums[s.iteration].second += s.ndf;
        ++count[s.iteration];
      }
    }
    for (const auto& [it, sum] : sums) {
      if (count[it] == scores.size() && sum.second > 0) {
        perIteration.push_back({{"iteration", it}, {"chi2_ndf", sum.first / sum.second}});
      }
    }
    report["combined"] = {{"best_pair_chi2_ndf", bestRecord["chi2_ndf"]},
                          {"per_iteration", perIteration}};
  }
  // The best checkpoints once more, keeping their showers' totals: the histograms of the
  // plots and the response and resolution versus incident energy.
  std::vector<CheckpointScore> bestWithShowers;
  for (const auto& [gan, dir] : r.gans) {
    const auto& b = bestScore(scores[gan]);
    const auto info = resolveCheckpoint(fs::path(b.checkpoint).replace_extension(".json"));
    bestWithShowers.push_back(scoreCheckpoint(info, reference, r.settings, r.device, true));
  }
  const auto response = responseOf(bestWithShowers, reference);
  report["response"] = toJson(response);
  writeFileAtomically(r.outputDir / "bestiter.json", report.dump(2) + "\n");
  writeFileAtomically(r.outputDir / "best.json", bestRecord.dump(2) + "\n");

  if (r.plots) {
    plotChi2(r.outputDir, scores, best, r.run);
    for (const auto& score : bestWithShowers) plotBestHistograms(r.outputDir, score);
    std::string iterations;
    for (const auto& score : bestWithShowers)
      iterations +=
          fmt::format("{}{} {}", iterations.empty() ? "" : ", ", score.gan, score.iteration);
    plotResponse(
        response, r.outputDir / "response",
        fmt::format("Response and resolution: run {}, best iteration ({}), chi^2/NDF {:.3g}", r.run,
                    iterations, bestRecord["chi2_ndf"].get<double>()));
  }
  outcome.report = report;
  return outcome;
}

}  // namespace bolo::nn
