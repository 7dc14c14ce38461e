// bolo tagger train|roc|bdt: the DL1-style flavour tagger on the synthetic jets.
//   train  trains the network of tagger.json; writes model, loss per epoch, test scores
//   roc    working points, rejections, ROC curves and the f_c scan of a trained tagger
//   bdt    the MV2-like boosted-decision-tree baseline (XGBoost), evaluated the same way
// Library entry points: nn::trainTaggerRun, nn::trainBdtBaseline (ftag/nn/TaggerTraining.hpp),
// evaluateTaggerRoc (ftag/TaggerRoc.hpp).

#include "apps/bolo/SharedOptions.hpp"
#include "apps/bolo/Verbs.hpp"
#include "ftag/TaggerRoc.hpp"
#include "ftag/nn/TaggerTraining.hpp"

namespace bolo::app {

void setupTagger(CLI::App& app) {
  auto* verb = app.add_subcommand(
      "tagger", "Train and evaluate the DL1-style flavour tagger and the BDT baseline");
  verb->require_subcommand(1);

  auto train = std::make_shared<VerbOptions<nn::TaggerTrainingRequest>>();
  auto* t = verb->add_subcommand(
      "train", "Train the 3-class (b, c, light) network on <workdir>/data/jets.h5");
  addWorkDirOption(t, train->request.workdir);
  addConfigOption(t, train->request.config,
                  "Tagger config (default: <workdir>/configs/tagger.json or built-in)");
  addRunOption(t, train->request.run, "Run name: output in <workdir>/output/tagger/<run>");
  t->add_option("--data", train->request.data, "Jet file (default: <workdir>/data/jets.h5)");
  addDeviceOption(t, train->request.device, "auto, cpu, cuda or cuda:N (overrides the config)");
  addThreadsOption(t, train->request.threads, "CPU threads (default: the config's; 0: all cores)");
  addJsonFlag(t, train->json);
  callOnRun(t, train, nn::trainTaggerRun);

  auto roc = std::make_shared<VerbOptions<TaggerRocRequest>>();
  auto* r = verb->add_subcommand(
      "roc", "Rejections at the 60/70/77/85% working points, ROC curves, f_c scan");
  addWorkDirOption(r, roc->request.workdir);
  auto* runOption =
      addRunOption(r, roc->request.run, "Run name under <workdir>/output/tagger (default dl1)");
  r->add_option("--model", roc->request.model, "Model directory instead of --run")
      ->excludes(runOption);
  r->add_option("--fc", roc->request.fc, "f_c of D_b (default 0.08, DL1)")
      ->check(numberIn(0.0, 1.0));
  r->add_option("--bdt", roc->request.bdt,
                "BDT directory (default: <workdir>/output/tagger/bdt if trained)");
  r->add_flag("--no-plots", roc->request.noPlots, "Skip the plots");
  addJsonFlag(r, roc->json, "Print the performance as JSON on stdout");
  callOnRun(r, roc, evaluateTaggerRoc);

  auto bdt = std::make_shared<VerbOptions<nn::BdtTrainingRequest>>();
  auto* b = verb->add_subcommand(
      "bdt", "Train the MV2-like gradient-boosted trees (XGBoost) and evaluate them");
  addWorkDirOption(b, bdt->request.workdir);
  addConfigOption(b, bdt->request.config,
                  "BDT config (default: <workdir>/configs/bdt.json or built-in)");
  b->add_option("--data", bdt->request.data, "Jet file (default: <workdir>/data/jets.h5)");
  addThreadsOption(b, bdt->request.threads, "CPU threads (default: the config's; 0: all cores)");
  addJsonFlag(b, bdt->json);
  callOnRun(b, bdt, nn::trainBdtBaseline);
}

}  // namespace bolo::app
