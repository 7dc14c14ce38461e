// bolo bench quality: time to quality. For every preset and seed, the real `bolo train` runs
// as a child process for a fixed wall-clock budget (--parallel of them side by side at
// --threads each); once every training has ended, each checkpoint is scored like
// `bolo bestiter` (chi2/NDF of the total energy per incident-energy point) and the curve
// chi2/NDF versus training wall time (the sidecars' training_seconds) is written as JSON and
// plotted, with each run's best checkpoint, its response and resolution versus incident energy
// and the classifier AUC on high-level features. See docs/benchmarks.md.

#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <map>
#include <mutex>
#include <numeric>
#include <optional>
#include <random>
#include <sstream>
#include <thread>

#include "apps/bolo/SharedOptions.hpp"
#include "apps/bolo/Verbs.hpp"
#include "apps/bolo/bench/BenchSupport.hpp"
#include "calo/CaloLayout.hpp"
#include "calo/ResponsePlot.hpp"
#include "calo/ShowerFeatures.hpp"
#include "calo/ShowerGeometry.hpp"
#include "calo/nn/BestIteration.hpp"
#include "calo/nn/Checkpoint.hpp"
#include "calo/nn/GanShowerGenerator.hpp"
#include "calo/nn/ShowerClassifier.hpp"
#include "common/AtomicFile.hpp"
#include "common/ConfigReader.hpp"
#include "common/Error.hpp"
#include "common/GnuplotFigure.hpp"
#include "common/Log.hpp"
#include "common/Progress.hpp"
#include "common/StopSignal.hpp"
#include "common/Subprocess.hpp"
#include "common/nn/TorchRuntime.hpp"

namespace bolo::app {

namespace fs = std::filesystem;

namespace {

struct BenchQualityOptions {
  BenchOutput output;
  std::string particle = "pions";
  double minutes = 0;
  std::string presets = "bolo,bologan";
  int seeds = 1;
  int parallel = 2;
  int threads = 1;
  long long checkpointEvery = 200;
  std::string workdir;
  std::string reference;
  std::string config;
  std::string device = "cpu";
  bool skipClassifier = false;
  long long classifierShowers = 10000;
};

/// One training of the benchmark and what became of it.
struct QualityRun {
  std::string preset;
  int seed = 0;
  std::string name;  ///< run name under checkpoints/ and output/
  fs::path config;   ///< the train.json written for it
  int exitCode = -1;
  std::string error;  ///< first error line of a failed training
  double wallSeconds = 0;
  nlohmann::json summary;  ///< `bolo train --json` output, when it succeeded
};

/// One scored checkpoint of one GAN.
struct ScoredCheckpoint {
  std::string gan;
  long long iteration = 0;
  double trainingSeconds = 0;
  double chi2 = 0;
  int ndf = 0;
  fs::path sidecar;
};

/// One point of a run's curve: a checkpoint per GAN (photons: the latest of each GAN at the
/// same training time).
struct CurvePoint {
  double trainingSeconds = 0;
  double chi2 = 0;
  int ndf = 0;
  std::vector<ScoredCheckpoint> checkpoints;  ///< one per GAN
  double chi2PerNdf() const { return ndf > 0 ? chi2 / ndf : NAN; }
};

std::vector<std::string> splitList(const std::string& text) {
  std::vector<std::string> out;
  std::stringstream stream(text);
  for (std::string item; std::getline(stream, item, ',');) {
    if (!item.empty()) out.push_back(item);
  }
  return out;
}

fs::path selfExecutable() {
  std::error_code ec;
  const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (ec) throw EnvironmentError("cannot find the bolo program through /proc/self/exe");
  return exe;
}

nlohmann::json nullable(double x) {
  return std::isfinite(x) ? nlohmann::json(x) : nlohmann::json(nullptr);
}

/// Run the trainings, at most `parallel` at a time; each records its outcome and log.
void runTrainings(std::vector<QualityRun>& runs, const BenchQualityOptions& o, const WorkDir& dir,
                  const fs::path& reference, const fs::path& benchDir) {
  const fs::path exe = selfExecutable();
  std::atomic<std::size_t> next{0};
  std::mutex logMutex;
  auto worker = [&] {
    for (;;) {
      const std::size_t i = next.fetch_add(1);
      if (i >= runs.size() || stopRequested()) return;
      auto& run = runs[i];
      const std::vector<std::string> argv = {exe.string(),
                                             "train",
                                             o.particle,
                                             "--workdir",
                                             dir.root.string(),
                                             "--run",
                                             run.name,
                                             "--config",
                                             run.config.string(),
                                             "--input",
                                             reference.string(),
                                             "--seed",
                                             std::to_string(run.seed),
                                             "--threads",
                                             std::to_string(o.threads),
                                             "--device",
                                             o.device,
                                             "--minutes",
                                             fmt::format("{}", o.minutes),
                                             "--checkpoint-every",
                                             std::to_string(o.checkpointEvery),
                                             "--no-plots",
                                             "--json"};
      {
        std::lock_guard<std::mutex> lock(logMutex);
        log::info("bench quality: training {} ({} of {})", run.name, i + 1, runs.size());
      }
      const auto start = std::chrono::steady_clock::now();
      const ProcessResult result = runProcess(argv);
      run.wallSeconds =
          std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      run.exitCode = result.exitCode;
      writeFileAtomically(benchDir / (run.name + ".log"), result.err);
      if (result.exitCode == 0) {
        try {
          run.summary = parseJson(result.out, run.name);
        } catch (const std::exception&) {
        }
      } else {
        run.error = result.firstErrorLine();
      }
      std::lock_guard<std::mutex> lock(logMutex);
      if (run.exitCode == 0)
        log::info("bench quality: {} done in {:.0f} s", run.name, run.wallSeconds);
      else
        log::warn("bench quality: {} failed (exit {}): {}", run.name, run.exitCode, run.error);
    }
  };
  std::vector<std::thread> workers;
  const int slots = std::min<int>(o.parallel, static_cast<int>(runs.size()));
  for (int s = 0; s < slots; ++s) workers.emplace_back(worker);
  for (auto& w : workers) w.join();
  if (stopRequested()) throw stopError("the checkpoints of the trainings (not scored)");
}

/// The curve of one run. Pions: one point per checkpoint. Photons: at every training time at
/// which either GAN wrote a checkpoint (once both have one), the latest checkpoint of each
/// GAN at or before that time, combined as sum chi2 / sum NDF.
std::vector<CurvePoint> buildCurve(
    const std::map<std::string, std::vector<ScoredCheckpoint>>& byGan) {
  std::vector<double> times;
  for (const auto& [gan, list] : byGan) {
    for (const auto& c : list) times.push_back(c.trainingSeconds);
  }
  std::sort(times.begin(), times.end());
  times.erase(std::unique(times.begin(), times.end()), times.end());
  std::vector<CurvePoint> curve;
  for (double t : times) {
    CurvePoint point;
    point.trainingSeconds = t;
    bool complete = true;
    for (const auto& [gan, list] : byGan) {
      const ScoredCheckpoint* latest = nullptr;
      for (const auto& c : list) {
        if (c.trainingSeconds <= t && (!latest || c.trainingSeconds >= latest->trainingSeconds))
          latest = &c;
      }
      if (!latest) {
        complete = false;
        break;
      }
      point.chi2 += latest->chi2;
      point.ndf += latest->ndf;
      point.checkpoints.push_back(*latest);
    }
    if (complete) curve.push_back(std::move(point));
  }
  return curve;
}

nlohmann::json pointJson(const CurvePoint& p, bool singleGan) {
  nlohmann::json iterations = nlohmann::json::object();
  for (const auto& c : p.checkpoints) iterations[c.gan] = c.iteration;
  nlohmann::json j = {{"training_seconds", p.trainingSeconds},
                      {"chi2", p.chi2},
                      {"ndf", p.ndf},
                      {"chi2_per_ndf", nullable(p.chi2PerNdf())},
                      {"iterations", iterations}};
  j["iteration"] = singleGan ? nlohmann::json(p.checkpoints.front().iteration) : iterations;
  return j;
}

/// The first training time at which chi2/NDF is at or below `threshold`, or null.
nlohmann::json firstTimeAtOrBelow(const std::vector<CurvePoint>& curve, double threshold) {
  for (const auto& p : curve) {
    if (p.chi2PerNdf() <= threshold) return p.trainingSeconds;
  }
  return nullptr;
}

/// The reference's showers the classifier sees: up to `limit` drawn at random, as
/// high-level inputs, with their incident energies (the spectrum the GAN reproduces).
struct ClassifierReference {
  nn::ClassifierInputs inputs;
  std::vector<double> energies;
};

ClassifierReference classifierReference(const fs::path& file, const ShowerGeometry& geometry,
                                        long long limit, std::uint64_t seed) {
  const ShowerFileReader reader(file);
  const ShowerFeatureCalculator calculator(geometry);
  const ShowerFeatures features = calculator.compute(reader, 4096);
  std::vector<std::size_t> order(features.showers());
  std::iota(order.begin(), order.end(), std::size_t{0});
  if (limit > 0 && static_cast<std::size_t>(limit) < order.size()) {
    std::mt19937_64 rng(seed);
    std::shuffle(order.begin(), order.end(), rng);
    order.resize(static_cast<std::size_t>(limit));
    std::sort(order.begin(), order.end());
  }
  ClassifierReference out;
  for (std::size_t i : order) {
    nn::appendHighLevelInputs(features, i, out.inputs);
    out.energies.push_back(features.incidentEnergies[i]);
  }
  return out;
}

void plotCurves(const fs::path& stem, const nlohmann::json& runs, const std::string& particle,
                double minutes) {
  GnuplotFigure figure;
  figure.stem = stem;
  std::string plot = "plot ";
  std::string best = "# minutes chi2_ndf\n";
  std::map<std::string, int> presetColour;
  int index = 0;
  for (const auto& run : runs) {
    if (run["points"].empty()) continue;
    const std::string preset = run["preset"].get<std::string>();
    if (!presetColour.count(preset)) {
      const int colour = static_cast<int>(presetColour.size()) + 1;
      presetColour[preset] = colour;
    }
    std::string block = "# minutes chi2_ndf\n";
    for (const auto& p : run["points"]) {
      if (p["chi2_per_ndf"].is_null()) continue;
      block += fmt::format("{:.6g} {:.8g}\n", p["training_seconds"].get<double>() / 60,
                           p["chi2_per_ndf"].get<double>());
    }
    const auto& b = run["best"];
    if (b.is_object() && !b["chi2_per_ndf"].is_null())
      best += fmt::format("{:.6g} {:.8g}\n", b["training_seconds"].get<double>() / 60,
                          b["chi2_per_ndf"].get<double>());
    const std::string name = fmt::format("run{}", index);
    figure.data[name] = block;
    plot += fmt::format(
        "{}data_{} using 1:2 with linespoints lw 1.5 pt 7 ps 0.5 lc {} dt {} title '{} seed {}'",
        index > 0 ? ", \\\n     " : "", name, presetColour[preset],
        1 + (run["seed"].get<int>() - 1) % 5, preset, run["seed"].get<int>());
    ++index;
  }
  if (index == 0) return;
  figure.data["best"] = best;
  plot +=
      ", \\\n     data_best using 1:2 with points pt 6 ps 2.5 lw 2 lc rgb 'red' title 'best of "
      "each run'";
  figure.script = fmt::format(
      "set title {}\nset xlabel 'training wall time [min]'\n"
      "set ylabel 'chi2/NDF (total energy per energy point, combined)'\n"
      "set logscale y\nset grid\nset key top right\n{}\n",
      gnuplotQuote(fmt::format("Time to quality: {}, {:g} min per run", particle, minutes)), plot);
  renderFigure(figure);
}

double median(std::vector<double> values) {
  if (values.empty()) return NAN;
  std::sort(values.begin(), values.end());
  const std::size_t n = values.size();
  return n % 2 ? values[n / 2] : 0.5 * (values[n / 2 - 1] + values[n / 2]);
}

void runBenchQuality(BenchQualityOptions o) {
  // Every check of the input before anything runs (exit 2, one line).
  const Particle particle = parseParticle(o.particle);
  const auto presets = splitList(o.presets);
  if (presets.empty()) throw InputError("--preset: give one or more presets, e.g. bolo,bologan");
  const auto& known = ganPresetNames();
  for (const auto& p : presets) {
    if (std::find(known.begin(), known.end(), p) == known.end())
      throw InputError(fmt::format("--preset: unknown preset '{}' (known: bolo, bologan)", p));
  }
  // The numeric options are range-checked where they are declared (setupBenchQuality).
  const WorkDir dir = resolveWorkDir(o.workdir);
  const fs::path reference = fs::absolute(referenceFile(dir, particle, o.reference, "--reference"));
  if (!fs::exists(reference)) {
    throw InputError(fmt::format("reference {} not found: run `bolo simulate {}` first",
                                 reference.string(), particleName(particle)));
  }
  nlohmann::json extra = nlohmann::json::object();
  if (!o.config.empty()) {
    extra = readJsonFile(o.config);
    if (!extra.is_object()) throw InputError(fmt::format("{}: expected a JSON object", o.config));
  }
  std::map<std::string, nlohmann::json> presetConfigs;
  for (const auto& p : presets) {
    nlohmann::json merged = extra;
    merged["preset"] = p;
    (void)trainConfigFromJson(merged);  // InputError naming the field if the file is wrong
    presetConfigs[p] = merged;
  }
  const TrainConfig firstConfig = trainConfigFromJson(presetConfigs[presets.front()]);
  const BestIterConfig settings = firstConfig.bestiter;
  const auto device = nn::resolveDevice(o.device);
  const ShowerGeometry geometry = ShowerGeometry::forParticle(particle);
  log::info("bench quality: reading reference {}", reference.string());
  const nn::ReferenceSample referenceSample = nn::loadReference(reference, geometry);

  const fs::path benchDir = dir.output() / "bench-quality";
  fs::create_directories(benchDir);
  if (o.output.outPath.empty()) o.output.outPath = (benchDir / "quality.json").string();
  const fs::path outPath = fs::absolute(o.output.outPath);

  // The runs, seed by seed so that runs side by side are the presets at one seed.
  std::vector<QualityRun> runs;
  for (const auto& p : presets) {
    const fs::path file = benchDir / fmt::format("train-{}.json", p);
    writeFileAtomically(file, presetConfigs[p].dump(2) + "\n");
  }
  for (int seed = 1; seed <= o.seeds; ++seed) {
    for (const auto& p : presets) {
      QualityRun run;
      run.preset = p;
      run.seed = seed;
      run.name = fmt::format("quality-{}-s{}", p, seed);
      run.config = benchDir / fmt::format("train-{}.json", p);
      // A fresh run every time: the benchmark owns these run names.
      std::error_code ec;
      fs::remove_all(runCheckpointDir(dir, run.name, "all").parent_path(), ec);
      fs::remove_all(runOutputDir(dir, run.name), ec);
      runs.push_back(run);
    }
  }
  log::info(
      "bench quality: {} training(s) of {:g} min{} each, {} side by side at {} thread(s), "
      "checkpoint every {} iterations",
      runs.size(), o.minutes, particle == Particle::kPhotons ? " per GAN" : "", o.parallel,
      o.threads, o.checkpointEvery);
  const auto benchStart = std::chrono::steady_clock::now();
  runTrainings(runs, o, dir, reference, benchDir);
  const double trainingWall =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - benchStart).count();

  // Scoring, after every training has ended: it never competes with them for the cores.
  nn::configureCpuThreads(o.parallel * o.threads);
  const auto slices = ganSlices(particle, firstConfig);
  std::size_t pendingCheckpoints = 0;
  std::map<std::string, std::map<std::string, std::vector<nn::CheckpointInfo>>> checkpoints;
  for (const auto& run : runs) {
    for (const auto& s : slices) {
      checkpoints[run.name][s.name] = nn::listCheckpoints(runCheckpointDir(dir, run.name, s.name));
      pendingCheckpoints += checkpoints[run.name][s.name].size();
    }
  }
  if (pendingCheckpoints == 0) {
    throw RuntimeFailure(fmt::format(
        "bench quality: no training wrote a checkpoint ({})",
        runs.front().error.empty() ? "see the logs in " + benchDir.string() : runs.front().error));
  }
  ProgressReporter progress("bench quality scoring", pendingCheckpoints, "checkpoints");
  std::size_t done = 0;

  std::optional<ClassifierReference> classifierRef;
  nn::ClassifierConfig classifierConfig;
  classifierConfig.inputs = {"high_level"};
  classifierConfig.maxShowersPerClass = o.classifierShowers;
  const std::uint64_t classifierSeed = 42;

  nlohmann::json runsJson = nlohmann::json::array();
  std::map<std::string, std::vector<double>> bestByPreset;
  for (const auto& run : runs) {
    std::map<std::string, std::vector<ScoredCheckpoint>> byGan;
    for (const auto& s : slices) {
      for (const auto& info : checkpoints[run.name][s.name]) {
        if (stopRequested()) throw stopError("nothing (benchmark)");
        const auto score =
            nn::scoreCheckpoint(info, referenceSample, settings, device.device, false);
        byGan[s.name].push_back({s.name, info.iteration, info.meta.value("training_seconds", 0.0),
                                 score.chi2, score.ndf, info.sidecar});
        progress.update(++done);
      }
    }
    const bool complete = byGan.size() == slices.size();
    const auto curve = complete ? buildCurve(byGan) : std::vector<CurvePoint>{};
    nlohmann::json entry = {{"run", run.name},
                            {"preset", run.preset},
                            {"seed", run.seed},
                            {"exit_code", run.exitCode},
                            {"wall_seconds", run.wallSeconds},
                            {"log", (benchDir / (run.name + ".log")).string()}};
    if (!run.error.empty()) entry["error"] = run.error;
    if (run.summary.is_object() && run.summary.contains("gans")) {
      nlohmann::json gans = nlohmann::json::object();
      for (const auto& g : run.summary["gans"]) {
        gans[g.value("gan", "?")] = {
            {"iterations", g.value("iterations", 0LL)},
            {"seconds", g.value("seconds", 0.0)},
            {"stopped_by_time_limit", g.value("stopped_by_time_limit", false)},
            {"generator_steps_per_s", g.value("generator_steps_per_s", 0.0)}};
      }
      entry["training"] = gans;
    }
    nlohmann::json points = nlohmann::json::array();
    for (const auto& p : curve) points.push_back(pointJson(p, slices.size() == 1));
    entry["points"] = points;
    entry["best"] = nullptr;
    entry["seconds_to_chi2_ndf_10"] = firstTimeAtOrBelow(curve, 10);
    entry["seconds_to_chi2_ndf_5"] = firstTimeAtOrBelow(curve, 5);
    entry["auc_high_level"] = nullptr;
    if (!curve.empty()) {
      const auto best =
          std::min_element(curve.begin(), curve.end(), [](const auto& a, const auto& b) {
            return a.chi2PerNdf() <
                   b.chi2PerNdf();  // earliest on ties (min_element keeps the first)
          });
      nlohmann::json bestJson = pointJson(*best, slices.size() == 1);
      nlohmann::json sidecars = nlohmann::json::object();
      for (const auto& c : best->checkpoints) sidecars[c.gan] = c.sidecar.string();
      bestJson["checkpoints"] = sidecars;
      entry["best"] = bestJson;
      bestByPreset[run.preset].push_back(best->chi2PerNdf());

      // The best checkpoint(s): response and resolution versus incident energy, classifier.
      std::vector<nn::CheckpointInfo> infos;
      std::vector<nn::CheckpointScore> withShowers;
      for (const auto& c : best->checkpoints) {
        infos.push_back(nn::resolveCheckpoint(c.sidecar));
        withShowers.push_back(
            nn::scoreCheckpoint(infos.back(), referenceSample, settings, device.device, true));
      }
      const auto response = nn::responseOf(withShowers, referenceSample);
      entry["response"] = toJson(response);
      const fs::path responseStem = benchDir / run.name / "response";
      const auto images = plotResponse(
          response, responseStem,
          fmt::format(
              "Response and resolution: {}, best checkpoint at {:.1f} min, chi^2/NDF {:.3g}",
              run.name, best->trainingSeconds / 60, best->chi2PerNdf()));
      entry["response_plot"] =
          images.empty() ? nlohmann::json(nullptr) : nlohmann::json(images.front().string());
      if (!o.skipClassifier) {
        if (!classifierRef) {
          log::info("bench quality: high-level features of the reference for the classifier");
          classifierRef = classifierReference(reference, geometry,
                                              classifierConfig.maxShowersPerClass, classifierSeed);
        }
        nn::GanEnsemble ensemble(infos, device.device);
        const ShowerBatch generated =
            ensemble.generate(classifierRef->energies, classifierSeed + 1);
        const ShowerFeatureCalculator calculator(geometry);
        ShowerFeatures features = calculator.emptyFeatures();
        calculator.append(generated, features);
        nn::ClassifierInputs generatedInputs;
        for (std::size_t i = 0; i < features.showers(); ++i)
          nn::appendHighLevelInputs(features, i, generatedInputs);
        const auto result =
            nn::runClassifierTest(generatedInputs, classifierRef->inputs, classifierConfig,
                                  classifierSeed, device.device, run.name + " high_level");
        entry["auc_high_level"] = result.auc;
        entry["classifier"] = {{"auc", result.auc},
                               {"jsd", result.jsd},
                               {"showers_per_class", result.showersPerClass},
                               {"epochs_run", result.epochsRun},
                               {"seconds", result.seconds}};
      }
    }
    runsJson.push_back(entry);
  }
  progress.finish();

  nlohmann::json presetSummary = nlohmann::json::object();
  for (const auto& p : presets) {
    const auto& list = bestByPreset[p];
    presetSummary[p] = {{"runs_with_points", list.size()},
                        {"best_chi2_per_ndf", list},
                        {"median_best_chi2_per_ndf", nullable(median(list))}};
  }
  fs::path plotStem = outPath;
  plotStem.replace_extension();
  fs::create_directories(plotStem.parent_path());
  plotCurves(plotStem, runsJson, particleName(particle), o.minutes);

  nlohmann::json configs = nlohmann::json::object();
  for (const auto& p : presets) configs[p] = (benchDir / fmt::format("train-{}.json", p)).string();
  const nlohmann::json results = {
      {"particle", particleName(particle)},
      {"minutes", o.minutes},
      {"minutes_apply_to",
       particle == Particle::kPhotons
           ? "each GAN: low then high, one after the other (a photons run lasts about twice "
             "--minutes); curve x = each GAN's own training time, the latest checkpoint of each "
             "GAN at that time, chi2/NDF = sum chi2 / sum NDF over both"
           : "the one GAN"},
      {"presets", presets},
      {"seeds", o.seeds},
      {"parallel", o.parallel},
      {"threads_per_run", o.threads},
      {"checkpoint_every", o.checkpointEvery},
      {"device", device.device},
      {"reference", reference.string()},
      {"config", o.config.empty() ? nlohmann::json(nullptr) : nlohmann::json(o.config)},
      {"train_configs", configs},
      {"scoring", {{"when", "after every training ended"}, {"bestiter", toJson(settings)}}},
      {"classifier", o.skipClassifier ? nlohmann::json("skipped (--skip-classifier)")
                                      : nlohmann::json{{"inputs", "high_level"},
                                                       {"max_showers_per_class",
                                                        classifierConfig.maxShowersPerClass},
                                                       {"seed", classifierSeed}}},
      {"training_wall_seconds", trainingWall},
      {"plot", plotStem.string() + ".png"},
      {"runs", runsJson},
      {"by_preset", presetSummary}};
  reportBenchmark(o.output, "quality", results);
}

}  // namespace

void setupBenchQuality(CLI::App& bench) {
  auto o = std::make_shared<BenchQualityOptions>();
  auto* sub = bench.add_subcommand(
      "quality", "Time to quality: chi2/NDF versus training wall time per preset and seed");
  sub->add_option("--out", o->output.outPath,
                  "JSON report (default: <workdir>/output/bench-quality/quality.json; the plot "
                  "goes beside it)");
  sub->add_option("--particle", o->particle, "pions or photons (default pions)");
  sub->add_option("--minutes", o->minutes, "Training wall-clock budget per run (photons: per GAN)")
      ->required()
      ->check(positiveNumber());
  sub->add_option("--preset", o->presets, "Comma-separated presets (default bolo,bologan)");
  sub->add_option("--seeds", o->seeds, "Seeds per preset, 1..K (default 1)")
      ->check(positiveInteger<int>());
  sub->add_option("--parallel", o->parallel, "Trainings side by side (default 2)")
      ->check(integerIn(1, kMaxThreads));
  // Per training, so 0 ("all cores") has no meaning here.
  sub->add_option("--threads", o->threads, "CPU threads per training (default 1)")
      ->check(integerIn(1, kMaxThreads));
  sub->add_option("--checkpoint-every", o->checkpointEvery,
                  "Iterations between checkpoints, the curve's points (default 200)")
      ->check(positiveInteger<long long>());
  addWorkDirOption(sub, o->workdir);
  sub->add_option("--reference", o->reference,
                  "Reference showers, also the training data (default: "
                  "<workdir>/data/<particle>_reference.h5)");
  sub->add_option("--config", o->config,
                  "train.json whose fields override the preset's (e.g. tiny GANs for tests; its "
                  "'bestiter' section sets the scoring)");
  sub->add_option("--device", o->device, "cpu, cuda, cuda:N (default cpu)");
  sub->add_flag("--skip-classifier", o->skipClassifier, "No classifier AUC");
  sub->add_option("--classifier-showers", o->classifierShowers,
                  "Reference showers drawn for the classifier, as many generated (default "
                  "10000; 0: all)")
      ->check(nonNegativeInteger<long long>());
  sub->callback([o] { runBenchQuality(*o); });
}

}  // namespace bolo::app
