#pragma once
// One self-contained HTML page gathering a run's results: every image is embedded as a data
// URI, the style sheet is inline, nothing is fetched from the network. A small inline script
// checks on load that every image decoded and records the outcome on <body>
// (data-images, data-images-loaded, data-errors) and in a visible status line.

#include <filesystem>
#include <string>
#include <vector>

namespace bolo {

struct HtmlImage {
  std::filesystem::path path;  ///< PNG, SVG, JPEG or GIF file to embed
  std::string caption;         ///< plain text
};

struct HtmlSection {
  std::string heading;   ///< plain text
  std::string bodyHtml;  ///< HTML the caller built (escape text with htmlEscape)
  std::vector<HtmlImage> images;
};

struct HtmlDocument {
  std::string title;     ///< plain text
  std::string subtitle;  ///< plain text, e.g. the command and date
  std::vector<HtmlSection> sections;
};

/// Escape &, <, >, " and ' for HTML text and attribute values.
std::string htmlEscape(const std::string& text);
/// Standard base64 with padding (RFC 4648).
std::string base64Encode(const std::string& bytes);
/// A <table> of plain-text cells (escaped here).
std::string htmlTable(const std::vector<std::string>& header,
                      const std::vector<std::vector<std::string>>& rows);
/// The whole page. InputError if an image cannot be read or has an unknown type.
std::string renderHtml(const HtmlDocument& document);

}  // namespace bolo
