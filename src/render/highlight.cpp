#include "render/highlight.hpp"

#include <KSyntaxHighlighting/AbstractHighlighter>
#include <KSyntaxHighlighting/Format>
#include <KSyntaxHighlighting/State>
#include <KSyntaxHighlighting/Theme>
#include <QString>
#include <QStringView>
#include <algorithm>
#include <array>
#include <chrono>
#include <cstddef>
#include <memory>
#include <utility>
#include <vector>

#include "render/html_escape.hpp"
#include "render/syntax_repository.hpp"

namespace sillypaste::render {

namespace {

using KSyntaxHighlighting::Theme;

// Some definitions (JavaScript, TypeScript) take quadratic time in a line's length, so
// longer lines (minified code, data) are shown plain, and once a body has used up the
// time budget its remaining lines are too. A 2 MB body then costs seconds, not hours.
constexpr qsizetype kMaxHighlightedLineLength = 10'000;
constexpr std::chrono::milliseconds kHighlightBudget{3'000};

// CSS class for each Theme::TextStyle, in enum order (Normal gets no span): the short
// names pandoc and KSyntaxHighlighting's own HTML use, so a token costs a few bytes.
constexpr std::array<std::string_view, Theme::Others + 1> kStyleClasses = {
    "",   "kw", "fu", "va", "cf", "op", "bu", "ex", "pp", "at", "ch", "sc", "st", "vs", "ss", "im",
    "dt", "dv", "bn", "fl", "cn", "co", "do", "an", "cv", "re", "in", "wa", "al", "er", "ot",
};
static_assert(Theme::Normal == 0 && Theme::DataType == 16 && Theme::Others == 30);

void append_utf16_as_escaped_html(std::string& out, QStringView text) {
  const QByteArray utf8 = text.toUtf8();
  append_escaped_html(out,
                      std::string_view(utf8.constData(), static_cast<std::size_t>(utf8.size())));
}

bool is_ascii(std::string_view text) {
  return std::all_of(text.begin(), text.end(),
                     [](char c) { return static_cast<unsigned char>(c) < 0x80; });
}

// Appends one line's tokens as <span class="CLASS"> elements; text the highlighter
// leaves unformatted is appended escaped as it is.
class HtmlLineHighlighter final : public KSyntaxHighlighting::AbstractHighlighter {
 public:
  explicit HtmlLineHighlighter(const KSyntaxHighlighting::Definition& definition) {
    setDefinition(definition);
    setTheme(detail::syntax_repository().defaultTheme());
  }

  // Forgets the state the previous body's last line left behind.
  void start_body() { state_ = KSyntaxHighlighting::State(); }

  // `ascii_line` is the line's UTF-8 text when it is all ASCII (UTF-16 offsets are then
  // byte offsets, and tokens are escaped from it directly), or empty.
  void highlight(const QString& line, std::string_view ascii_line, std::string& out) {
    line_ = QStringView(line);
    ascii_line_ = ascii_line;
    out_ = &out;
    position_ = 0;
    state_ = highlightLine(line_, state_);
    append_plain_up_to(line_.size());
    out_ = nullptr;
  }

 protected:
  void applyFormat(int offset, int length, const KSyntaxHighlighting::Format& format) override {
    if (out_ == nullptr || length <= 0 || offset < position_ || offset + length > line_.size()) {
      return;
    }
    append_plain_up_to(offset);
    const auto style = static_cast<std::size_t>(format.textStyle());
    if (style == Theme::Normal || style >= kStyleClasses.size()) {
      append_text(offset, length);
    } else {
      out_->append("<span class=\"").append(kStyleClasses[style]).append("\">");
      append_text(offset, length);
      out_->append("</span>");
    }
    position_ = offset + length;
  }

 private:
  void append_text(qsizetype offset, qsizetype length) {
    if (ascii_line_.size() == static_cast<std::size_t>(line_.size())) {
      append_escaped_html(*out_, ascii_line_.substr(static_cast<std::size_t>(offset),
                                                    static_cast<std::size_t>(length)));
    } else {
      append_utf16_as_escaped_html(*out_, line_.mid(offset, length));
    }
  }

  void append_plain_up_to(qsizetype end) {
    if (end > position_) {
      append_text(position_, end - position_);
    }
    position_ = end;
  }

  QStringView line_;
  std::string_view ascii_line_;
  std::string* out_ = nullptr;
  qsizetype position_ = 0;
  KSyntaxHighlighting::State state_;
};

// Building a highlighter for a definition costs about as much as highlighting a short
// paste, so each thread keeps the ones it has used (a few languages at most in practice;
// the memory is emptied when it holds kRememberedHighlighters).
constexpr std::size_t kRememberedHighlighters = 32;

HtmlLineHighlighter& highlighter_for(const KSyntaxHighlighting::Definition& definition) {
  thread_local std::vector<
      std::pair<KSyntaxHighlighting::Definition, std::unique_ptr<HtmlLineHighlighter>>>
      remembered;
  for (auto& [known, highlighter] : remembered) {
    if (known == definition) {
      return *highlighter;
    }
  }
  if (remembered.size() >= kRememberedHighlighters) {
    remembered.clear();
  }
  remembered.emplace_back(definition, std::make_unique<HtmlLineHighlighter>(definition));
  return *remembered.back().second;
}

std::string_view without_trailing_cr(std::string_view line) {
  if (!line.empty() && line.back() == '\r') {
    line.remove_suffix(1);
  }
  return line;
}

}  // namespace

std::vector<std::string> highlighter_languages() {
  std::vector<std::string> names;
  for (const auto& definition : detail::syntax_repository().definitions()) {
    std::string name = detail::language_name(definition);
    if (!name.empty() && name != "markdown") {
      names.push_back(std::move(name));
    }
  }
  std::sort(names.begin(), names.end());
  names.erase(std::unique(names.begin(), names.end()), names.end());
  return names;
}

std::string highlight_html(std::string_view body, std::string_view language) {
  const KSyntaxHighlighting::Definition definition = detail::find_definition(language);
  HtmlLineHighlighter* highlighter = nullptr;
  if (definition.isValid()) {
    highlighter = &highlighter_for(definition);
    highlighter->start_body();
  }
  const auto deadline = std::chrono::steady_clock::now() + kHighlightBudget;

  if (body.ends_with('\n')) {
    body.remove_suffix(1);
  }
  std::string out;
  out.reserve(body.size() + body.size() / 2 + 16);
  std::size_t start = 0;
  while (true) {
    const std::size_t end = std::min(body.find('\n', start), body.size());
    const std::string_view line = without_trailing_cr(body.substr(start, end - start));
    if (start > 0) {
      out.push_back('\n');
    }
    if (highlighter != nullptr && std::chrono::steady_clock::now() > deadline) {
      highlighter = nullptr;
    }
    if (highlighter != nullptr) {
      const bool ascii = is_ascii(line);
      const auto size = static_cast<int>(line.size());  // at most the paste size limit
      const QString text =
          ascii ? QString::fromLatin1(line.data(), size) : QString::fromUtf8(line.data(), size);
      if (text.size() <= kMaxHighlightedLineLength) {
        highlighter->highlight(text, ascii ? line : std::string_view(), out);
      } else {
        append_escaped_html(out, to_valid_utf8(line));
      }
    } else {
      append_escaped_html(out, to_valid_utf8(line));
    }
    if (end == body.size()) {
      break;
    }
    start = end + 1;
  }
  return out;
}

}  // namespace sillypaste::render
