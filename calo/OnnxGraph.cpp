#include "calo/OnnxGraph.hpp"

#include <fmt/format.h>
#include <onnx/checker.h>
#include <onnx/onnx_pb.h>
#include <onnx/shape_inference/implementation.h>

#include <bit>
#include <cmath>
#include <cstring>
#include <variant>

#include "common/Error.hpp"
#include "common/Version.hpp"

namespace bolo {

namespace {

// ONNX stores raw tensor data little-endian; the bytes are copied as they are in memory.
static_assert(std::endian::native == std::endian::little, "ONNX raw_data needs little-endian");

using Attribute = std::pair<std::string, std::variant<int64_t, float>>;

/// Adds nodes and constants to a graph under unique names.
class GraphBuilder {
 public:
  explicit GraphBuilder(onnx::GraphProto& graph) : m_graph(graph) {}
  onnx::GraphProto& graph() { return m_graph; }

  std::string floatConstant(const std::string& hint, const std::vector<int64_t>& dims,
                            const std::vector<float>& values) {
    return constant(hint, onnx::TensorProto::FLOAT, dims, values.data(),
                    values.size() * sizeof(float));
  }
  std::string doubleConstant(const std::string& hint, double value) {
    return constant(hint, onnx::TensorProto::DOUBLE, {1}, &value, sizeof(double));
  }
  std::string int64Constant(const std::string& hint, const std::vector<int64_t>& values) {
    return constant(hint, onnx::TensorProto::INT64, {static_cast<int64_t>(values.size())},
                    values.data(), values.size() * sizeof(int64_t));
  }

  /// A node with `outputs` results; returns their names.
  std::vector<std::string> nodes(const std::string& op, const std::vector<std::string>& inputs,
                                 std::size_t outputs,
                                 const std::vector<Attribute>& attributes = {}) {
    auto* node = m_graph.add_node();
    node->set_op_type(op);
    node->set_name(unique(op));
    for (const auto& in : inputs) node->add_input(in);
    std::vector<std::string> names;
    for (std::size_t i = 0; i < outputs; ++i) {
      names.push_back(unique(op + "_out"));
      node->add_output(names.back());
    }
    for (const auto& [name, value] : attributes) {
      auto* attribute = node->add_attribute();
      attribute->set_name(name);
      if (const auto* i = std::get_if<int64_t>(&value)) {
        attribute->set_type(onnx::AttributeProto::INT);
        attribute->set_i(*i);
      } else {
        attribute->set_type(onnx::AttributeProto::FLOAT);
        attribute->set_f(std::get<float>(value));
      }
    }
    return names;
  }
  std::string node(const std::string& op, const std::vector<std::string>& inputs,
                   const std::vector<Attribute>& attributes = {}) {
    return nodes(op, inputs, 1, attributes).front();
  }

 private:
  std::string unique(const std::string& hint) { return fmt::format("{}_{}", hint, m_count++); }

  std::string constant(const std::string& hint, int type, const std::vector<int64_t>& dims,
                       const void* data, std::size_t bytes) {
    auto* tensor = m_graph.add_initializer();
    tensor->set_name(unique(hint));
    tensor->set_data_type(type);
    for (auto d : dims) tensor->add_dims(d);
    tensor->set_raw_data(std::string(static_cast<const char*>(data), bytes));
    return tensor->name();
  }

  onnx::GraphProto& m_graph;
  int m_count = 0;
};

void declareValue(onnx::ValueInfoProto* value, const std::string& name, int64_t columns) {
  value->set_name(name);
  auto* tensor = value->mutable_type()->mutable_tensor_type();
  tensor->set_elem_type(onnx::TensorProto::FLOAT);
  auto* shape = tensor->mutable_shape();
  shape->add_dim()->set_dim_param("N");  // any number of showers
  shape->add_dim()->set_dim_value(columns);
}

/// The condition of ShowerPreprocessing::condition. Generation computes it in double and
/// rounds it to float; the graph does the same, so both feed the network the same number.
std::string conditionOf(GraphBuilder& g, const std::string& energy, const ShowerPreprocessing& p) {
  const auto e = g.node("Cast", {energy}, {{"to", int64_t{onnx::TensorProto::DOUBLE}}});
  std::string condition;
  if (p.maxEnergyMeV <= p.minEnergyMeV) {
    condition = g.node(
        "Add", {g.node("Mul", {e, g.doubleConstant("zero", 0.0)}), g.doubleConstant("half", 0.5)});
  } else if (p.conditioning == "log") {
    const auto ratio = g.node("Div", {e, g.doubleConstant("min_energy", p.minEnergyMeV)});
    condition =
        g.node("Div", {g.node("Log", {ratio}),
                       g.doubleConstant("log_range", std::log(p.maxEnergyMeV / p.minEnergyMeV))});
  } else if (p.conditioning == "max") {
    condition = g.node("Div", {e, g.doubleConstant("max_energy", p.maxEnergyMeV)});
  } else if (p.conditioning == "linear") {
    const auto shifted = g.node("Sub", {e, g.doubleConstant("min_energy", p.minEnergyMeV)});
    condition =
        g.node("Div", {shifted, g.doubleConstant("range", p.maxEnergyMeV - p.minEnergyMeV)});
  } else {
    throw InputError(fmt::format("unknown conditioning '{}'", p.conditioning));
  }
  return g.node("Cast", {condition}, {{"to", int64_t{onnx::TensorProto::FLOAT}}});
}

/// applyActivation of GanModel.cpp, node by node.
std::string activate(GraphBuilder& g, const std::string& x, const std::string& name) {
  if (name == "silu") return g.node("Mul", {x, g.node("Sigmoid", {x})});
  if (name == "relu") return g.node("Relu", {x});
  if (name == "leaky_relu") return g.node("LeakyRelu", {x}, {{"alpha", 0.2f}});
  if (name == "tanh") return g.node("Tanh", {x});
  if (name == "none") return x;
  throw InputError(fmt::format("unknown activation '{}'", name));
}

/// sparsemax of GanModel.cpp over axis 1 of z (N x n): with z sorted in decreasing order and
/// c its running sum, the support size k counts the entries with 1 + j z_(j) > c_j, and the
/// result is relu(z - (c_k - 1) / k).
std::string sparsemax(GraphBuilder& g, const std::string& z, int64_t n) {
  const auto sorted =
      g.nodes("TopK", {z, g.int64Constant("all", {n})}, 2,
              {{"axis", int64_t{1}}, {"largest", int64_t{1}}, {"sorted", int64_t{1}}})
          .front();
  const auto cumulative = g.node("CumSum", {sorted, g.int64Constant("axis", {1})});
  std::vector<float> ranks(static_cast<std::size_t>(n));
  for (int64_t j = 0; j < n; ++j) ranks[static_cast<std::size_t>(j)] = static_cast<float>(j + 1);
  const auto rank = g.floatConstant("rank", {1, n}, ranks);
  const auto one = g.floatConstant("one", {1}, {1.0f});
  const auto inSupport =
      g.node("Greater", {g.node("Add", {one, g.node("Mul", {rank, sorted})}), cumulative});
  const auto support =
      g.node("ReduceSum",
             {g.node("Cast", {inSupport}, {{"to", int64_t{onnx::TensorProto::FLOAT}}}),
              g.int64Constant("axes", {1})},
             {{"keepdims", int64_t{1}}});
  const auto last =
      g.node("Sub", {g.node("Cast", {support}, {{"to", int64_t{onnx::TensorProto::INT64}}}),
                     g.int64Constant("one", {1})});
  const auto total = g.node("GatherElements", {cumulative, last}, {{"axis", int64_t{1}}});
  const auto tau = g.node("Div", {g.node("Sub", {total, one}), support});
  return g.node("Relu", {g.node("Sub", {z, tau})});
}

/// The columns of a N x k value, one by one.
std::vector<std::string> splitColumns(GraphBuilder& g, const std::string& value, int64_t k) {
  return g.nodes(
      "Split",
      {value, g.int64Constant("split", std::vector<int64_t>(static_cast<std::size_t>(k), 1))},
      static_cast<std::size_t>(k), {{"axis", int64_t{1}}});
}

/// GeneratorHead "energy_sharing": x_v = r * f_L(v) * s_v with r = softplus(o_r + 0.5),
/// f = softmax(layer logits), s = softmax (or sparsemax) of the voxel logits within each
/// layer. With shape noise (`noise` names the N x voxels input) every layer's logits first get
/// sigma_L * noise with sigma = softplus(o_sigma - 3).
std::string shareEnergy(GraphBuilder& g, const std::string& raw,
                        const std::vector<int64_t>& layerVoxels, const std::string& shapes,
                        const std::string& noise) {
  const auto layers = static_cast<int64_t>(layerVoxels.size());
  // Split needs positive sizes: a layer without voxels has no logits to split off (its
  // fraction still takes part in the layer softmax, as in LibTorch).
  std::vector<int64_t> voxelSizes;
  for (auto n : layerVoxels)
    if (n > 0) voxelSizes.push_back(n);
  auto sizes = voxelSizes;
  sizes.push_back(layers);
  sizes.push_back(1);
  if (!noise.empty()) sizes.push_back(layers);
  const auto pieces = g.nodes("Split", {raw, g.int64Constant("split", sizes)}, sizes.size(),
                              {{"axis", int64_t{1}}});
  const std::size_t heads = voxelSizes.size();  // pieces[heads]: layer logits, then response
  const auto response = g.node(
      "Softplus", {g.node("Add", {pieces[heads + 1], g.floatConstant("half", {1}, {0.5f})})});
  const auto fractions =
      g.node("Mul", {g.node("Softmax", {pieces[heads]}, {{"axis", int64_t{1}}}), response});
  const auto columns = splitColumns(g, fractions, layers);
  std::vector<std::string> sigmas, noises;
  if (!noise.empty()) {
    sigmas = splitColumns(
        g,
        g.node("Softplus",
               {g.node("Sub", {pieces[heads + 2], g.floatConstant("three", {1}, {3.0f})})}),
        layers);
    noises = g.nodes("Split", {noise, g.int64Constant("split", voxelSizes)}, voxelSizes.size(),
                     {{"axis", int64_t{1}}});
  }
  std::vector<std::string> parts;
  std::size_t piece = 0;
  for (std::size_t k = 0; k < layerVoxels.size(); ++k) {
    if (layerVoxels[k] == 0) continue;
    auto logits = pieces[piece];
    if (!noise.empty()) logits = g.node("Add", {logits, g.node("Mul", {sigmas[k], noises[piece]})});
    ++piece;
    const auto shape = shapes == "sparsemax" ? sparsemax(g, logits, layerVoxels[k])
                                             : g.node("Softmax", {logits}, {{"axis", int64_t{1}}});
    parts.push_back(g.node("Mul", {shape, columns[k]}));
  }
  return g.node("Concat", parts, {{"axis", int64_t{1}}});
}

/// Generation's readout threshold (GanShowerGenerator): voxels of `mev` under the threshold
/// become zero, the others of their layer are scaled so that the layer keeps its energy
/// (layer sums and the spreading back are MatMuls with the voxels x layers indicator).
/// Writes the graph's output.
void thresholdVoxels(GraphBuilder& g, const std::string& mev, const GeneratorNetwork& network,
                     int64_t voxels) {
  std::vector<int64_t> layerVoxels = network.layerVoxels;
  if (layerVoxels.empty()) layerVoxels = {voxels};
  const auto layers = static_cast<int64_t>(layerVoxels.size());
  std::vector<float> indicator(static_cast<std::size_t>(voxels * layers), 0.0f);
  std::vector<float> transposed(indicator.size(), 0.0f);
  int64_t first = 0;
  for (int64_t k = 0; k < layers; ++k) {
    for (int64_t v = first; v < first + layerVoxels[static_cast<std::size_t>(k)]; ++v) {
      indicator[static_cast<std::size_t>(v * layers + k)] = 1.0f;
      transposed[static_cast<std::size_t>(k * voxels + v)] = 1.0f;
    }
    first += layerVoxels[static_cast<std::size_t>(k)];
  }
  const auto layerOfVoxel = g.floatConstant("layer_of_voxel", {voxels, layers}, indicator);
  const auto voxelsOfLayer = g.floatConstant("voxels_of_layer", {layers, voxels}, transposed);
  const auto zero = g.floatConstant("zero", {1}, {0.0f});
  const auto below =
      g.node("Less", {mev, g.floatConstant("voxel_threshold", {1},
                                           {static_cast<float>(network.voxelThresholdMeV)})});
  const auto kept = g.node("Where", {below, zero, mev});
  const auto before = g.node("MatMul", {mev, layerOfVoxel});
  const auto after = g.node("MatMul", {kept, layerOfVoxel});
  const auto ratio =
      g.node("Div", {before, g.node("Max", {after, g.floatConstant("tiny", {1}, {1e-30f})})});
  const auto scale = g.node("Where", {g.node("Greater", {after, zero}), ratio, zero});
  const auto factor = g.node("MatMul", {scale, voxelsOfLayer});
  auto* out = g.graph().add_node();
  out->set_op_type("Mul");
  out->set_name("threshold");
  out->add_input(kept);
  out->add_input(factor);
  out->add_output(kOnnxVoxelOutput);
}

/// The voxel columns the network's last layer gives (energy sharing adds K + 1 logits, and
/// K noise scales with shape noise).
int64_t voxelCount(const GeneratorNetwork& n) {
  if (n.layers.empty()) throw InputError("the generator has no layers");
  const int64_t outputs = n.layers.back().outputs;
  if (n.output != "energy_sharing") return outputs;
  int64_t sum = 0;
  for (auto v : n.layerVoxels) sum += v;
  const auto layers = static_cast<int64_t>(n.layerVoxels.size());
  if (n.layerVoxels.empty() || sum + layers + 1 + (n.shapeNoise ? layers : 0) != outputs) {
    throw InputError(fmt::format(
        "energy_sharing: {} layers with {} voxels{} do not match the generator's {} outputs",
        layers, sum, n.shapeNoise ? " and shape noise" : "", outputs));
  }
  return sum;
}

void checkLayers(const GeneratorNetwork& n) {
  int expected = n.latentSize + 1;
  for (std::size_t i = 0; i < n.layers.size(); ++i) {
    const auto& l = n.layers[i];
    if (l.inputs != expected || l.outputs <= 0 ||
        l.weight.size() !=
            static_cast<std::size_t>(l.inputs) * static_cast<std::size_t>(l.outputs) ||
        l.bias.size() != static_cast<std::size_t>(l.outputs)) {
      throw InputError(
          fmt::format("generator layer {}: {} x {} with {} weights and {} biases "
                      "does not follow {} inputs",
                      i, l.outputs, l.inputs, l.weight.size(), l.bias.size(), expected));
    }
    expected = l.outputs;
  }
}

}  // namespace

std::string buildOnnxGenerator(const GeneratorNetwork& network, const std::string& name,
                               const std::map<std::string, std::string>& metadata) {
  checkLayers(network);
  const int64_t voxels = voxelCount(network);
  const std::string output = network.output == "energy_sharing" ? "none" : network.output;
  if (output != "relu" && output != "none")
    throw InputError(fmt::format("unknown generator_output '{}'", network.output));
  if (network.layerShapes != "softmax" && network.layerShapes != "sparsemax")
    throw InputError(fmt::format("unknown layer_shapes '{}'", network.layerShapes));
  if (network.shapeNoise && network.output != "energy_sharing")
    throw InputError("shape_noise needs generator_output energy_sharing");

  onnx::ModelProto model;
  model.set_ir_version(kOnnxIrVersion);
  model.set_producer_name("bolo");
  model.set_producer_version(version());
  model.set_doc_string(
      "Calorimeter shower generator: latent numbers and incident energy (MeV) to voxel "
      "energies (MeV)");
  auto* opset = model.add_opset_import();
  opset->set_domain("");
  opset->set_version(kOnnxOpset);
  for (const auto& [key, value] : metadata) {
    auto* prop = model.add_metadata_props();
    prop->set_key(key);
    prop->set_value(value);
  }
  auto* graph = model.mutable_graph();
  graph->set_name(name);
  declareValue(graph->add_input(), kOnnxLatentInput, network.latentSize);
  declareValue(graph->add_input(), kOnnxEnergyInput, 1);
  // An input rather than a RandomNormalLike node: no runtime's random stream is LibTorch's, and
  // with the numbers given the model can be checked against the checkpoint shower by shower.
  if (network.shapeNoise) declareValue(graph->add_input(), kOnnxNoiseInput, voxels);
  declareValue(graph->add_output(), kOnnxVoxelOutput, voxels);

  GraphBuilder g(*graph);
  const auto condition = conditionOf(g, kOnnxEnergyInput, network.preprocessing);
  auto x = g.node("Concat", {kOnnxLatentInput, condition}, {{"axis", int64_t{1}}});
  for (std::size_t i = 0; i < network.layers.size(); ++i) {
    const auto& l = network.layers[i];
    const auto w =
        g.floatConstant(fmt::format("linear{}_weight", i), {l.outputs, l.inputs}, l.weight);
    const auto b = g.floatConstant(fmt::format("linear{}_bias", i), {l.outputs}, l.bias);
    x = g.node("Gemm", {x, w, b}, {{"transB", int64_t{1}}});
    x = activate(g, x, i + 1 < network.layers.size() ? network.activation : output);
  }
  if (network.output == "energy_sharing")
    x = shareEnergy(g, x, network.layerVoxels, network.layerShapes,
                    network.shapeNoise ? kOnnxNoiseInput : "");

  // Targets back to MeV: generation multiplies by the float of 1 / targetScale(E).
  const auto& p = network.preprocessing;
  std::string scale;
  if (p.voxelScaling == "incident") {
    scale = kOnnxEnergyInput;
  } else if (p.voxelScaling == "sample_max" || p.voxelScaling == "none") {
    scale = g.floatConstant("voxel_unit", {1}, {static_cast<float>(1.0 / p.targetScale(1.0))});
  } else {
    throw InputError(fmt::format("unknown voxel_scaling '{}'", p.voxelScaling));
  }
  if (!(network.voxelThresholdMeV >= 0))
    throw InputError(fmt::format("voxel threshold {} MeV: not a non-negative number",
                                 network.voxelThresholdMeV));
  auto* last = graph->add_node();
  last->set_op_type("Mul");
  last->set_name("to_mev");
  last->add_input(x);
  last->add_input(scale);
  if (network.voxelThresholdMeV > 0) {
    last->add_output("voxel_energy_unthresholded");
    thresholdVoxels(g, "voxel_energy_unthresholded", network, voxels);
  } else {
    last->add_output(kOnnxVoxelOutput);
  }

  try {
    onnx::checker::check_model(model);
    // Strict shape inference on a copy: a size that does not add up (a Split, a Gemm, the
    // declared output width) is an error here rather than in the user's runtime.
    onnx::ModelProto inferred = model;
    onnx::shape_inference::InferShapes(inferred, onnx::OpSchemaRegistry::Instance(),
                                       onnx::ShapeInferenceOptions(true, 1, false));
  } catch (const std::exception& e) {
    throw RuntimeFailure(fmt::format("the ONNX model of {} is not valid: {}", name, e.what()));
  }
  std::string bytes;
  if (!model.SerializeToString(&bytes))
    throw RuntimeFailure(fmt::format("cannot serialize the ONNX model of {}", name));
  return bytes;
}

void checkOnnxModel(const std::string& bytes, const std::string& origin) {
  onnx::ModelProto model;
  if (!model.ParseFromString(bytes)) throw InputError(origin + ": not an ONNX model");
  try {
    onnx::checker::check_model(model);
  } catch (const std::exception& e) {
    throw InputError(fmt::format("{}: fails the ONNX checker: {}", origin, e.what()));
  }
}

}  // namespace bolo
