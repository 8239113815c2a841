// The check the rendering fuzz targets share: HTML we produce from a paste must never hold
// something a browser would run. Aborts (a libFuzzer crash) naming what it found when the
// HTML holds a <script> element (or another element that loads or runs a document:
// iframe, frame, object, embed, meta, base, link, form), an on...= event-handler
// attribute, a srcdoc attribute, or a javascript:/vbscript: URL (or a data: URL other
// than a raster image) in an attribute that browsers follow.
#pragma once

#include <cctype>
#include <cstddef>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

namespace fuzz {

inline std::string ascii_lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

[[noreturn]] inline void unsafe_html(const char* target, const std::string& what,
                                     std::string_view html) {
  std::fprintf(stderr, "%s: %s in output:\n%.*s\n", target, what.c_str(),
               static_cast<int>(html.size()), html.data());
  std::abort();
}

// Decodes the HTML character references a browser would in an attribute value (&amp;
// &quot; &lt; &gt; &colon; &Tab; &NewLine; &#NN; &#xNN;, with or without the ';') and
// drops the whitespace and control characters browsers skip in a URL scheme.
inline std::string url_scheme_text(std::string_view value) {
  std::string out;
  for (std::size_t i = 0; i < value.size() && out.size() < 32; ++i) {
    char c = value[i];
    if (c == '&') {
      std::size_t end = i + 1;
      while (end < value.size() && end - i < 12 &&
             (std::isalnum(static_cast<unsigned char>(value[end])) || value[end] == '#'))
        ++end;
      const std::string ref = ascii_lower(value.substr(i + 1, end - i - 1));
      long code = -1;
      if (ref == "amp") code = '&';
      else if (ref == "quot") code = '"';
      else if (ref == "lt") code = '<';
      else if (ref == "gt") code = '>';
      else if (ref == "colon") code = ':';
      else if (ref == "tab") code = '\t';
      else if (ref == "newline") code = '\n';
      else if (ref.size() > 1 && ref[0] == '#')
        code = ref[1] == 'x' ? std::strtol(ref.c_str() + 2, nullptr, 16)
                             : std::strtol(ref.c_str() + 1, nullptr, 10);
      if (code >= 0 && code < 128) {
        c = static_cast<char>(code);
        i = (end < value.size() && value[end] == ';') ? end : end - 1;
      }
    }
    if (static_cast<unsigned char>(c) <= ' ') continue;
    out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return out;
}

inline bool is_url_attribute(const std::string& name) {
  return name == "href" || name == "src" || name == "action" || name == "formaction" ||
         name == "xlink:href" || name == "data" || name == "poster" || name == "background";
}

inline bool is_document_element(std::string_view tag_name) {
  for (std::string_view forbidden :
       {"script", "iframe", "frame", "object", "embed", "meta", "base", "link", "form"}) {
    if (tag_name == forbidden) return true;
  }
  return false;
}

// `target` names the fuzz target in the report.
inline void check_html_is_inert(const char* target, const std::string& html) {
  const std::string low = ascii_lower(html);
  if (low.find("<script") != std::string::npos) unsafe_html(target, "<script", html);
  // Walk the tags: text between '<' and the next '>' that starts a tag name.
  for (std::size_t lt = low.find('<'); lt != std::string::npos; lt = low.find('<', lt + 1)) {
    if (lt + 1 >= low.size() || !std::isalpha(static_cast<unsigned char>(low[lt + 1]))) {
      continue;
    }
    const std::size_t gt = low.find('>', lt);
    const std::string tag = low.substr(lt, gt == std::string::npos ? std::string::npos : gt - lt);
    std::size_t i = 1;
    while (i < tag.size() && !std::isspace(static_cast<unsigned char>(tag[i])) && tag[i] != '/')
      ++i;
    const std::string tag_name = tag.substr(1, i - 1);
    if (is_document_element(tag_name)) unsafe_html(target, "<" + tag_name + "> element", html);
    // Attributes: after whitespace or '/', a name; then '=' and a value.
    while (i < tag.size()) {
      while (i < tag.size() && (std::isspace(static_cast<unsigned char>(tag[i])) || tag[i] == '/'))
        ++i;
      const std::size_t name_start = i;
      while (i < tag.size() && tag[i] != '=' && !std::isspace(static_cast<unsigned char>(tag[i])) &&
             tag[i] != '/')
        ++i;
      const std::string name = tag.substr(name_start, i - name_start);
      std::string value;
      if (i < tag.size() && tag[i] == '=') {
        ++i;
        if (i < tag.size() && (tag[i] == '"' || tag[i] == '\'')) {
          const char quote = tag[i++];
          const std::size_t end = tag.find(quote, i);
          value = tag.substr(i, end == std::string::npos ? std::string::npos : end - i);
          i = end == std::string::npos ? tag.size() : end + 1;
        } else {
          const std::size_t start = i;
          while (i < tag.size() && !std::isspace(static_cast<unsigned char>(tag[i]))) ++i;
          value = tag.substr(start, i - start);
        }
      }
      if (name.size() > 2 && name.starts_with("on")) {
        unsafe_html(target, "event-handler attribute " + name, html);
      }
      if (name == "srcdoc") unsafe_html(target, "srcdoc attribute", html);
      if (is_url_attribute(name)) {
        const std::string scheme = url_scheme_text(value);
        if (scheme.starts_with("javascript:") || scheme.starts_with("vbscript:")) {
          unsafe_html(target, "script URL in " + name, html);
        }
        // cmark keeps data: images (png, gif, jpeg, webp: none runs script, unlike svg).
        if (scheme.starts_with("data:") && !scheme.starts_with("data:image/png") &&
            !scheme.starts_with("data:image/gif") && !scheme.starts_with("data:image/jpeg") &&
            !scheme.starts_with("data:image/webp")) {
          unsafe_html(target, "data: URL in " + name, html);
        }
      }
    }
  }
}

}  // namespace fuzz
