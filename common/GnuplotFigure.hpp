#pragma once
// Plots through gnuplot (Debian's gnuplot-nox): each figure is saved as its script
// (<stem>.gp) and data (<stem>.<block>.dat) beside the images, so users can restyle it,
// then rendered to PNG, PDF and SVG. Nothing here draws by hand.

#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace bolo {

struct GnuplotFigure {
  /// Output path without extension, e.g. out/plots/chi2_vs_iteration.
  std::filesystem::path stem;
  /// Named data blocks; the script refers to a block as '<stem>.<name>.dat' through the
  /// gnuplot variable `data_<name>`, e.g. `plot data_loss using 1:2 with lines`.
  std::map<std::string, std::string> data;
  /// Plot commands, without terminal/output lines (those are added per format).
  std::string script;
  int widthPixels = 1000;
  int heightPixels = 700;
};

/// True if a gnuplot with the cairo terminals can be run.
bool gnuplotAvailable();

/// Write script and data, render every format in `formats` ("png", "pdf", "svg").
/// Returns the images written. If gnuplot is missing, writes script and data, warns once and
/// returns an empty list (plots are optional for every verb).
std::vector<std::filesystem::path> renderFigure(const GnuplotFigure& figure,
                                                const std::vector<std::string>& formats = {
                                                    "png", "pdf", "svg"});

/// Quote a string for use inside a gnuplot single-quoted string.
std::string gnuplotQuote(const std::string& text);

}  // namespace bolo
