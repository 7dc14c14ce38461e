#pragma once
// A trained shower generator as an ONNX model (torch-free: the weights come in as plain
// floats). The graph takes the latent numbers and the incident energy in MeV and gives the
// voxel energies in MeV: the condition scaling of ShowerPreprocessing, the generator MLP,
// its output head (energy sharing included) and the inverse voxel scaling are all part of
// it, so a user needs nothing from Bolo to run it (docs/export.md). A generator with shape
// noise takes its N(0,1) voxel noise as a third input rather than drawing it in the graph, so
// that the model gives exactly the checkpoint's showers for the same numbers.

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "calo/ShowerPreprocessing.hpp"

namespace bolo {

/// The ONNX operator set the models use. 13 is the oldest with every operator needed in its
/// current form (Softmax over one axis, Split sizes as an input), so older runtimes load it.
inline constexpr int kOnnxOpset = 13;
/// The IR version that goes with opset 13.
inline constexpr int kOnnxIrVersion = 7;

/// Names of the graph's inputs and output.
inline constexpr const char* kOnnxLatentInput = "latent";           ///< N x latent
inline constexpr const char* kOnnxEnergyInput = "incident_energy";  ///< N x 1, MeV
inline constexpr const char* kOnnxNoiseInput = "voxel_noise";       ///< N x voxels (shape noise)
inline constexpr const char* kOnnxVoxelOutput = "voxel_energy";     ///< N x voxels, MeV

/// One fully connected layer y = x W^T + b; `weight` row-major, outputs x inputs (LibTorch's
/// Linear layout).
struct DenseLayer {
  int inputs = 0;
  int outputs = 0;
  std::vector<float> weight;
  std::vector<float> bias;
};

/// Everything the generation of one GAN computes, as plain numbers.
struct GeneratorNetwork {
  int latentSize = 0;
  std::string activation;               ///< between layers: silu, relu, leaky_relu, tanh, none
  std::string output;                   ///< generator_output: relu, none or energy_sharing
  std::vector<int64_t> layerVoxels;     ///< voxels per calorimeter layer (energy_sharing)
  std::string layerShapes = "softmax";  ///< energy_sharing's shapes: softmax or sparsemax
  bool shapeNoise = false;              ///< energy_sharing's per-voxel noise (an input)
  double voxelThresholdMeV = 0;         ///< voxels under it (MeV) are set to zero; 0: none
  ShowerPreprocessing preprocessing;
  std::vector<DenseLayer> layers;  ///< input (latent + condition) to output
};

/// The model as serialized ONNX bytes, with `metadata` as its metadata_props. The model is
/// verified with the ONNX checker and strict shape inference before it is returned.
/// InputError if the network is inconsistent (sizes, unknown activation).
std::string buildOnnxGenerator(const GeneratorNetwork& network, const std::string& name,
                               const std::map<std::string, std::string>& metadata = {});

/// Parse serialized ONNX bytes and run the ONNX checker on them; InputError naming `origin`
/// with the checker's message if the model is not valid.
void checkOnnxModel(const std::string& bytes, const std::string& origin);

}  // namespace bolo
