#include "calo/ShowerGeometry.hpp"

#include <fmt/format.h>

#include <cmath>
#include <limits>
#include <numbers>
#include <pugixml.hpp>
#include <sstream>

#include "common/AtomicFile.hpp"
#include "common/CheckedMath.hpp"
#include "common/Error.hpp"
#include "common/ParseNumber.hpp"

namespace bolo {

namespace {

std::vector<double> parseEdges(const std::string& text, const std::string& where) {
  std::vector<double> edges;
  std::stringstream stream(text);
  std::string item;
  while (std::getline(stream, item, ',')) {
    // Finite only: an "inf" edge would put a voxel centre at infinity.
    const auto v = toNumber(trimSpaces(item), 0.0, std::numeric_limits<double>::max());
    if (!v) {
      throw InputError(fmt::format("{}: r_edges entry '{}' is not a finite non-negative number",
                                   where, item.size() > 30 ? item.substr(0, 27) + "..." : item));
    }
    if (edges.size() > static_cast<std::size_t>(kMaxRadialBins)) {
      throw InputError(fmt::format("{}: more than {} radial bins", where, kMaxRadialBins));
    }
    edges.push_back(*v);
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

/// An integer attribute in [lo, hi], else `fallback` when absent. pugixml's as_int clamps
/// out-of-range text to INT_MAX and reads "12abc" as 12: both are rejected here instead.
int intAttribute(const pugi::xml_node& node, const char* name, long long lo, long long hi,
                 int fallback, const std::string& where) {
  const auto attribute = node.attribute(name);
  if (!attribute) return fallback;
  const auto value = toInteger(trimSpaces(attribute.as_string()), lo, hi);
  if (!value) {
    std::string text = attribute.as_string();
    if (text.size() > 30) text = text.substr(0, 27) + "...";
    throw InputError(
        fmt::format("{}: {}=\"{}\" is not an integer in [{}, {}]", where, name, text, lo, hi));
  }
  return static_cast<int>(*value);
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
  g.m_pid = intAttribute(bin, "pid", std::numeric_limits<int>::min(),
                         std::numeric_limits<int>::max(), 0, origin);
  g.m_name = bin.attribute("name").as_string("");
  for (const auto layer : bin.children("Layer")) {
    std::string id = layer.attribute("id").as_string("?");
    if (id.size() > 30) id = id.substr(0, 27) + "...";
    const std::string where = fmt::format("{}: layer {}", origin, id);
    if (!layer.attribute("id") || !layer.attribute("r_edges")) {
      throw InputError(fmt::format("{}: <Layer> needs id and r_edges", where));
    }
    CaloLayer l;
    l.id = intAttribute(layer, "id", 0, kMaxLayerId, 0, where);
    l.rEdges = parseEdges(layer.attribute("r_edges").as_string(), where);
    l.alphaBins = intAttribute(layer, "n_bin_alpha", 1, kMaxAlphaBins, 1, where);
    if (l.radialBins() < 1) continue;  // r_edges="0": the layer has no voxels
    // Both factors are bounded above, but the sums over layers are checked all the same:
    // a count that wraps around can match a file's shape and index past its end.
    const auto layerVoxels = checkedMultiply(static_cast<std::size_t>(l.radialBins()),
                                             static_cast<std::size_t>(l.alphaBins));
    const auto total = layerVoxels ? checkedAdd(g.m_voxelCount, *layerVoxels) : std::nullopt;
    if (!total || *total > kMaxVoxels) {
      throw InputError(fmt::format("{}: more than {} voxels in all", where, kMaxVoxels));
    }
    l.firstVoxel = g.m_voxelCount;
    g.m_voxelCount = *total;
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
  return l.firstVoxel +
         static_cast<std::size_t>(alphaBin) * static_cast<std::size_t>(l.radialBins()) +
         static_cast<std::size_t>(radialBin);
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

ShowerGeometry::VoxelPositions ShowerGeometry::voxelPositions() const {
  VoxelPositions p;
  p.x.assign(voxelCount(), 0.0);
  p.y.assign(voxelCount(), 0.0);
  for (std::size_t l = 0; l < m_layers.size(); ++l) {
    p.layerHasAngles.push_back(m_layers[l].alphaBins > 1);
    for (int a = 0; a < m_layers[l].alphaBins; ++a) {
      for (int r = 0; r < m_layers[l].radialBins(); ++r) {
        const auto centre = voxelCentre(l, a, r);
        const std::size_t v = voxelIndex(l, a, r);
        p.x[v] = centre.r * std::cos(centre.alpha);
        p.y[v] = centre.r * std::sin(centre.alpha);
      }
    }
  }
  return p;
}

}  // namespace bolo
