#include "common/HtmlReport.hpp"

#include <fmt/format.h>

#include "common/AtomicFile.hpp"
#include "common/Error.hpp"

namespace bolo {

namespace fs = std::filesystem;

namespace {

constexpr const char* kStyle = R"CSS(
body { font-family: sans-serif; margin: 2em auto; max-width: 1400px; color: #222; }
h1 { margin-bottom: 0.2em; }
.subtitle { color: #666; margin-top: 0; }
.status { padding: 0.4em 0.8em; background: #eef; display: inline-block; }
table { border-collapse: collapse; margin: 1em 0; }
th, td { border: 1px solid #ccc; padding: 0.25em 0.6em; text-align: right; }
th { background: #f3f3f3; }
td:first-child, th:first-child { text-align: left; }
.figures { display: flex; flex-wrap: wrap; gap: 1em; }
figure { margin: 0; max-width: 100%; }
figure img { max-width: 100%; height: auto; border: 1px solid #ddd; }
figcaption { font-size: 0.85em; color: #555; }
)CSS";

// Installed first so that it sees errors of images and of later scripts.
constexpr const char* kHeadScript = R"JS(
window.boloErrors = 0;
window.addEventListener('error', function () { window.boloErrors += 1; }, true);
)JS";

constexpr const char* kCheckScript = R"JS(
window.addEventListener('load', function () {
  var images = document.getElementsByTagName('img');
  var loaded = 0;
  for (var i = 0; i < images.length; ++i) {
    if (images[i].complete && images[i].naturalWidth > 0) loaded += 1;
  }
  document.body.setAttribute('data-images', String(images.length));
  document.body.setAttribute('data-images-loaded', String(loaded));
  document.body.setAttribute('data-errors', String(window.boloErrors));
  var status = document.getElementById('status');
  status.textContent = (loaded === images.length && window.boloErrors === 0)
      ? 'All ' + images.length + ' plots loaded.'
      : loaded + ' of ' + images.length + ' plots loaded, ' + window.boloErrors + ' errors.';
});
)JS";

std::string mimeType(const fs::path& path) {
  const std::string ext = path.extension().string();
  if (ext == ".png") return "image/png";
  if (ext == ".svg") return "image/svg+xml";
  if (ext == ".jpg" || ext == ".jpeg") return "image/jpeg";
  if (ext == ".gif") return "image/gif";
  throw InputError(fmt::format("{}: cannot embed images of this type in HTML", path.string()));
}

}  // namespace

std::string htmlEscape(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string base64Encode(const std::string& bytes) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  std::size_t i = 0;
  for (; i + 2 < bytes.size(); i += 3) {
    const auto b0 = static_cast<unsigned char>(bytes[i]),
               b1 = static_cast<unsigned char>(bytes[i + 1]),
               b2 = static_cast<unsigned char>(bytes[i + 2]);
    out += kAlphabet[b0 >> 2];
    out += kAlphabet[((b0 & 0x03) << 4) | (b1 >> 4)];
    out += kAlphabet[((b1 & 0x0f) << 2) | (b2 >> 6)];
    out += kAlphabet[b2 & 0x3f];
  }
  if (i < bytes.size()) {
    const auto b0 = static_cast<unsigned char>(bytes[i]);
    const bool two = i + 1 < bytes.size();
    const auto b1 = two ? static_cast<unsigned char>(bytes[i + 1]) : 0;
    out += kAlphabet[b0 >> 2];
    out += kAlphabet[((b0 & 0x03) << 4) | (b1 >> 4)];
    out += two ? kAlphabet[(b1 & 0x0f) << 2] : '=';
    out += '=';
  }
  return out;
}

std::string htmlTable(const std::vector<std::string>& header,
                      const std::vector<std::vector<std::string>>& rows) {
  std::string out = "<table>\n<tr>";
  for (const auto& h : header) out += "<th>" + htmlEscape(h) + "</th>";
  out += "</tr>\n";
  for (const auto& row : rows) {
    out += "<tr>";
    for (const auto& cell : row) out += "<td>" + htmlEscape(cell) + "</td>";
    out += "</tr>\n";
  }
  return out + "</table>\n";
}

std::string renderHtml(const HtmlDocument& document) {
  std::string out = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n";
  out += "<title>" + htmlEscape(document.title) + "</title>\n";
  out +=
      fmt::format("<style>{}</style>\n<script>{}</script>\n</head>\n<body>\n", kStyle, kHeadScript);
  out += "<h1>" + htmlEscape(document.title) + "</h1>\n";
  out += "<p class=\"subtitle\">" + htmlEscape(document.subtitle) + "</p>\n";
  out += "<p class=\"status\" id=\"status\">Loading plots...</p>\n";
  for (const auto& section : document.sections) {
    out += "<section>\n<h2>" + htmlEscape(section.heading) + "</h2>\n" + section.bodyHtml;
    if (!section.images.empty()) out += "<div class=\"figures\">\n";
    for (const auto& image : section.images) {
      const std::string data = base64Encode(readFile(image.path));
      out += fmt::format(
          "<figure><img src=\"data:{};base64,{}\" "
          "alt=\"{}\"><figcaption>{}</figcaption></figure>\n",
          mimeType(image.path), data, htmlEscape(image.caption), htmlEscape(image.caption));
    }
    if (!section.images.empty()) out += "</div>\n";
    out += "</section>\n";
  }
  out += fmt::format("<script>{}</script>\n</body>\n</html>\n", kCheckScript);
  return out;
}

}  // namespace bolo
