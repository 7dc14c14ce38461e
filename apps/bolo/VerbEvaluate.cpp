// bolo evaluate --reference R.h5 --generated G.h5 --geometry X.xml: judge generated showers
// against a reference with the CaloChallenge metrics (high-level feature histograms with
// separation power and chi2/NDF, E_total/E_inc chi2 per incident energy, classifier AUC and
// JSD), and write evaluation.json, the plots and one self-contained report.html.
// Library entry point: nn::evaluateShowers (calo/nn/Evaluation.hpp).

#include "apps/bolo/SharedOptions.hpp"
#include "apps/bolo/Verbs.hpp"
#include "calo/nn/Evaluation.hpp"

namespace bolo::app {

nlohmann::json evaluateDefaultConfig() {
  return nn::toJson(nn::EvaluateConfig{});
}

void setupEvaluate(CLI::App& app) {
  auto o = std::make_shared<VerbOptions<nn::EvaluationRequest>>();
  auto& r = o->request;
  auto* verb = app.add_subcommand(
      "evaluate",
      "Compare generated showers with a reference: CaloChallenge features, chi2, "
      "separation power, classifier AUC/JSD, plots and an HTML report");
  verb->add_option(
      "--reference", r.reference,
      "Reference shower file (default with --particle: <workdir>/data/<particle>_reference.h5)");
  verb->add_option("--generated", r.generated, "Generated shower file to judge")->required();
  verb->add_option("--geometry", r.geometry,
                   "Binning XML (default with --particle: the shipped one)");
  verb->add_option("--particle", r.particle, "pions or photons");
  verb->add_option("--out", r.out,
                   "Output directory (default: <workdir>/output/evaluation[-<particle>])");
  addConfigOption(verb, r.config,
                  "evaluate.json (default: <workdir>/configs/evaluate.json if present)");
  verb->add_option("--seed", r.seed, "Seed of the classifier's shower sampling, split and training")
      ->check(unsignedInteger())
      ->capture_default_str();
  addDeviceOption(verb, r.device, "Classifier device: cpu, cuda, cuda:N or auto")
      ->capture_default_str();
  addThreadsOption(verb, r.threads, "CPU threads for the classifier (default: all cores)");
  verb->add_flag("--skip-classifier", r.skipClassifier, "Histograms only, no classifier test");
  addJsonFlag(verb, o->json, "Print the report as JSON on stdout");
  addWorkDirOption(verb, r.workdir);
  callOnRun(verb, o, nn::evaluateShowers);
}

}  // namespace bolo::app
