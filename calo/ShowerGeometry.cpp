#include "calo/ShowerGeometry.hpp"

#include <fmt/format.h>

#include <cmath>
#include <numbers>
#include <pugixml.hpp>
#include <sstream>

#include "common/AtomicFile.hpp"
#include "common/Error.hpp"

namespace bolo {

namespace {

std::vector<double> parseEdges(const std::string& text, const std::string& where) {
  std::vector<double> edges;
  std::stringstream stream(text);
  std::string item;
  while (std::getline(stream, item, ',')) {
    try {
      std::size_t used = 0;
      const double v = std::stod(item, &used);
      if (item.find_first_not_of(" \t", used) != std::string::npos)
        throw std::invalid_argument(item);
      edges.push_back(v);
    } catch (const std::exception&) {
      throw InputError(fmt::format("{}: r_edges entry '{}' is not a number", where, item));
    }
  }
  for (std::size_t i = 1; i < edges.size(); ++i) {
    if (!(edges[i] > edges[i - 1])) {
      throw InputError(fmt::format("{}: r_edges must increase strictly", where));
    }
  }
  if (edges.empty() || edges.front() != 0.0)
    throw InputError(fmt::format("{}: r_edges must start at 0", where));
  return edges;
}

}  // namespace

ShowerGeometry ShowerGeometry::fromXml(const std::filesystem::path& path) {
  if (!std::filesystem::exists(path)) {
    throw InputError(fmt::format("{}: geometry file not found", path.string()));
  }
  return fromXmlText(readFile(path), path.string());
}

ShowerGeometry ShowerGeometry::fromXmlText(const std::string& text, const std::string& origin) {
  pugi::xml_document doc;
  const auto parsed = doc.load_string(text.c_str());
  if (!parsed) {
    throw InputError(fmt::format("{}: malformed binning XML at byte {}: {}", origin, parsed.offset,
                                 parsed.description()));
  }
  const auto bin = doc.child("Bins").child("Bin");
  if (!bin) throw InputError(fmt::format("{}: no <Bins><Bin> element", origin));
  if (bin.next_sibling("Bin")) {
    throw InputError(fmt::format("{}: several <Bin> elements; dataset 1 has exactly one", origin));
  }
  ShowerGeometry g;
  g.m_source = origin;
  g.m_pid = bin.attribute("pid").as_int(0);
  g.m_name = bin.attribute("name").as_string("");
  for (const auto layer : bin.children("Layer")) {
    const std::string where =
        fmt::format("{}: layer {}", origin, layer.attribute("id").as_string("?"));
    if (!layer.attribute("id") || !layer.attribute("r_edges")) {
      throw InputError(fmt::format("{}: <Layer> needs id and r_edges", where));
    }
    CaloLayer l;
    l.id = layer.attribute("id").as_int();
    l.rEdges = parseEdges(layer.attribute("r_edges").as_string(), where);
    l.alphaBins = layer.attribute("n_bin_alpha").as_int(1);
    if (l.alphaBins < 1) throw InputError(fmt::format("{}: n_bin_alpha must be >= 1", where));
    if (l.radialBins() < 1) continue;  // r_edges="0": the layer has no voxels
    l.firstVoxel = g.m_voxelCount;
    g.m_voxelCount += l.voxelCount();
    g.m_layers.push_back(std::move(l));
  }
  if (g.m_layers.empty()) throw InputError(fmt::format("{}: no layer has voxels", origin));
  return g;
}

ShowerGeometry ShowerGeometry::forParticle(Particle particle) {
  return fromXml(defaultGeometryPath(particle));
}

std::size_t ShowerGeometry::voxelIndex(std::size_t layerIndex, int alphaBin, int radialBin) const {
  const auto& l = m_layers.at(layerIndex);
  return l.firstVoxel + static_cast<std::size_t>(alphaBin * l.radialBins() + radialBin);
}

ShowerGeometry::VoxelCentre ShowerGeometry::voxelCentre(std::size_t layerIndex, int alphaBin,
                                                        int radialBin) const {
  const auto& l = m_layers.at(layerIndex);
  const double r = 0.5 * (l.rEdges[static_cast<std::size_t>(radialBin)] +
                          l.rEdges[static_cast<std::size_t>(radialBin) + 1]);
  if (l.alphaBins == 1) return {r, 0.0};
  const double width = 2 * std::numbers::pi / l.alphaBins;
  return {r, -std::numbers::pi + (alphaBin + 0.5) * width};
}

}  // namespace bolo
