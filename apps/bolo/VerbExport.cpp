// bolo export pions|photons: the run's generators as ONNX models (one per GAN) with a JSON
// description each, for inference engines outside Bolo. By default the checkpoints marked
// best by `bolo bestiter`.
// Library entry point: nn::exportOnnx (calo/nn/OnnxExport.hpp).

#include "apps/bolo/SharedOptions.hpp"
#include "apps/bolo/Verbs.hpp"
#include "calo/nn/OnnxExport.hpp"

namespace bolo::app {

void setupExport(CLI::App& app) {
  auto o = std::make_shared<VerbOptions<nn::ExportRequest>>();
  auto& r = o->request;
  auto* verb = app.add_subcommand("export", "Export the best generators to ONNX");
  verb->add_option("particle", r.particle, "pions or photons")->required();
  addWorkDirOption(verb, r.workdir);
  addRunOption(verb, r.run, "Run name (default: the particle)");
  verb->add_option("--checkpoint", r.checkpoints,
                   "Checkpoint (.json/.pt or a GAN's checkpoint directory), one per GAN. "
                   "Default: the best iteration of the run (bolo bestiter)");
  verb->add_option("--out", r.out,
                   "Directory for <particle>_<gan>.onnx and .json (created if missing)")
      ->required();
  verb->add_option("--geometry", r.geometry,
                   "Binning XML the description names (default: shipped geometry)");
  addJsonFlag(verb, o->json);
  callOnRun(verb, o, nn::exportOnnx);
}

}  // namespace bolo::app
