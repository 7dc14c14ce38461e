// The self-contained HTML page: escaping, base64, and a real headless Chromium that loads the
// page and reports whether every embedded plot decoded.

#include <gtest/gtest.h>

#include <filesystem>

#include "common/AtomicFile.hpp"
#include "common/Error.hpp"
#include "common/GnuplotFigure.hpp"
#include "common/HtmlReport.hpp"
#include "support/HeadlessChromium.hpp"

namespace bolo {
namespace {

namespace fs = std::filesystem;

TEST(HtmlReportTest, EscapesAndEncodes) {
  EXPECT_EQ(htmlEscape("a<b & \"c\" 'd'>"), "a&lt;b &amp; &quot;c&quot; &#39;d&#39;&gt;");
  // RFC 4648 test vectors
  EXPECT_EQ(base64Encode(""), "");
  EXPECT_EQ(base64Encode("f"), "Zg==");
  EXPECT_EQ(base64Encode("fo"), "Zm8=");
  EXPECT_EQ(base64Encode("foo"), "Zm9v");
  EXPECT_EQ(base64Encode("foob"), "Zm9vYg==");
  EXPECT_EQ(base64Encode("foobar"), "Zm9vYmFy");
  EXPECT_EQ(base64Encode(std::string("\xff\xfe", 2)), "//4=");
  const auto table = htmlTable({"name", "S"}, {{"<x>", "0.1"}});
  EXPECT_NE(table.find("<td>&lt;x&gt;</td>"), std::string::npos);
}

TEST(HtmlReportTest, RejectsUnknownOrMissingImages) {
  HtmlDocument doc;
  doc.sections.push_back({"s", "", {{"/nonexistent/plot.png", "x"}}});
  EXPECT_THROW(renderHtml(doc), InputError);
}

class HtmlReportBrowserTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!testing::chromiumAvailable())
      GTEST_SKIP() << "chromium is not installed at /usr/bin/chromium";
    if (!gnuplotAvailable()) GTEST_SKIP() << "gnuplot is not installed";
    m_dir = fs::temp_directory_path() / ("bolo-html-" + std::to_string(::getpid()));
    fs::remove_all(m_dir);
    fs::create_directories(m_dir);
    GnuplotFigure figure;
    figure.stem = m_dir / "line";
    figure.data["xy"] = "0 0\n1 1\n2 4\n";
    figure.script = "plot data_xy using 1:2 with lines title 'x^2'";
    m_images = renderFigure(figure, {"png", "svg"});
    ASSERT_EQ(m_images.size(), 2u);
  }
  void TearDown() override {
    if (!m_dir.empty()) fs::remove_all(m_dir);
  }
  fs::path m_dir;
  std::vector<fs::path> m_images;
};

TEST_F(HtmlReportBrowserTest, EveryEmbeddedPlotLoadsWithoutErrors) {
  HtmlDocument doc;
  doc.title = "Test <page>";
  doc.sections.push_back(
      {"Plots", htmlTable({"a"}, {{"1"}}), {{m_images[0], "png"}, {m_images[1], "svg"}}});
  const fs::path page = m_dir / "page.html";
  writeFileAtomically(page, renderHtml(doc));
  const auto check = testing::openInChromium(page);
  EXPECT_EQ(check.images, 2) << check.dom.substr(0, 500);
  EXPECT_EQ(check.imagesLoaded, 2);
  EXPECT_EQ(check.errors, 0);
  EXPECT_NE(check.dom.find("All 2 plots loaded."), std::string::npos);
  // Self-contained: no reference to anything outside the page.
  const std::string html = readFile(page);
  EXPECT_EQ(html.find("http://"), std::string::npos);
  EXPECT_EQ(html.find("https://"), std::string::npos);
}

TEST_F(HtmlReportBrowserTest, TheCheckNoticesABrokenImage) {
  const fs::path broken = m_dir / "broken.png";
  writeFileAtomically(broken, "this is not a PNG");
  HtmlDocument doc;
  doc.title = "broken";
  doc.sections.push_back({"Plots", "", {{m_images[0], "good"}, {broken, "bad"}}});
  const fs::path page = m_dir / "broken.html";
  writeFileAtomically(page, renderHtml(doc));
  const auto check = testing::openInChromium(page);
  EXPECT_EQ(check.images, 2) << check.dom.substr(0, 500);
  EXPECT_EQ(check.imagesLoaded, 1);
  EXPECT_GE(check.errors, 1);
}

}  // namespace
}  // namespace bolo
