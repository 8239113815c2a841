#include <map>
#include <string>

#include "core/permissions.hpp"
#include "render/numbered_lines.hpp"
#include "web/cached_answer.hpp"
#include "web/handlers.hpp"
#include "web/http_cache.hpp"
#include "web/page.hpp"
#include "web/paste_access.hpp"
#include "web/paste_form_page.hpp"
#include "web/presenter.hpp"

namespace sillypaste::web {
namespace {

// `counted_now`: this view counts a hit that is not in the counts yet.
http::Response show(Context& ctx, const core::PasteView& view, const PasteRef& ref, bool burned_now,
                    bool counted_now = false) {
  const core::Paste& paste = view.paste;
  Data data = paste_summary(view);
  const std::string base = reference_path(ref);
  data.set("base", base);
  data.set("renderable", paste.rendered_html.has_value());
  data.set("burned_now", burned_now);
  if (!burned_now) {
    data.set("hits", std::to_string(paste.hits + ctx.services.hits.pending(paste.id) +
                                    (counted_now ? 1 : 0)));
    const bool owner = core::is_owner(paste, ctx.viewer);
    data.set("can_modify", core::can_modify(paste, ctx.viewer));
    data.set("admin_access", ctx.viewer.is_staff && !owner);
    data.set("edit_path", paste_path(paste) + "edit/");
    data.set("delete_path", paste_path(paste) + "delete/");
    data.set("from_path", "/paste/?from=" + std::to_string(paste.id));
    if (paste.is_private && core::can_modify(paste, ctx.viewer)) {
      data.set("secret_url", ctx.origin() + share_path(paste));
    }
  }
  return page_with_block(ctx, "paste", std::move(data), paste.title,
                         render::numbered_lines_html(paste.body_html));
}

// The usual file extension for a language name, for the Download file name ("txt" when
// none is known).
std::string download_extension(std::string_view language) {
  static const std::map<std::string, std::string, std::less<>> extensions = {
      {"ada", "adb"},
      {"awk", "awk"},
      {"bash", "sh"},
      {"c", "c"},
      {"c#", "cs"},
      {"c++", "cpp"},
      {"clojure", "clj"},
      {"cmake", "cmake"},
      {"coffeescript", "coffee"},
      {"common lisp", "lisp"},
      {"css", "css"},
      {"csv", "csv"},
      {"d", "d"},
      {"dart", "dart"},
      {"diff", "diff"},
      {"dockerfile", "dockerfile"},
      {"elixir", "ex"},
      {"elm", "elm"},
      {"erlang", "erl"},
      {"fish", "fish"},
      {"fortran (free format)", "f90"},
      {"fsharp", "fs"},
      {"go", "go"},
      {"graphql", "graphql"},
      {"groovy", "groovy"},
      {"haskell", "hs"},
      {"html", "html"},
      {"ini files", "ini"},
      {"java", "java"},
      {"javascript", "js"},
      {"json", "json"},
      {"julia", "jl"},
      {"kotlin", "kt"},
      {"lesscss", "less"},
      {"lua", "lua"},
      {"makefile", "mk"},
      {"markdown", "md"},
      {"nim", "nim"},
      {"nix", "nix"},
      {"objective caml", "ml"},
      {"objective-c", "m"},
      {"org-mode", "org"},
      {"pascal", "pas"},
      {"perl", "pl"},
      {"php (html)", "php"},
      {"powershell", "ps1"},
      {"python", "py"},
      {"r script", "r"},
      {"ruby", "rb"},
      {"rust", "rs"},
      {"scala", "scala"},
      {"scss", "scss"},
      {"sql", "sql"},
      {"swift", "swift"},
      {"tcl/tk", "tcl"},
      {"toml", "toml"},
      {"typescript", "ts"},
      {"xml", "xml"},
      {"yaml", "yaml"},
      {"zsh", "zsh"},
  };
  std::string lower;
  for (char c : language) {
    lower.push_back(c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c);
  }
  const auto it = extensions.find(lower);
  return it == extensions.end() ? std::string("txt") : it->second;
}

// Burn-after-reading pastes are read by a POST so that link previews do not burn them;
// their creator's own session sees them without burning.
bool must_confirm_burn(const Context& ctx, const core::Paste& paste) {
  return paste.burn && !core::is_owner(paste, ctx.viewer);
}

// A plain read of `paste`: counts a hit, and may be kept for other visitors when public.
void set_read(PasteAnswer& answer, const core::Paste& paste) {
  answer.counts_hit_for = paste.freeze_hits ? 0 : paste.id;
  answer.keep = !paste.is_private && !paste.burn;
  answer.expires = paste.expiry;
}

PasteAnswer show_answer(Context& ctx, const PasteRef& ref) {
  PasteAnswer answer;
  const auto view = find_paste(ctx, ref);
  if (!view) {
    answer.response = not_found(ctx);
    return answer;
  }
  const bool is_read = ctx.request.method == "GET" || ctx.request.method == "HEAD";
  if (must_confirm_burn(ctx, view->paste)) {
    if (is_read) {
      Data data = paste_summary(*view);
      data.set("action", reference_path(ref));
      answer.response = page(ctx, "paste_burn", std::move(data), view->paste.title);
      return answer;
    }
    if (ctx.request.method != "POST") {
      answer.response = method_not_allowed(ctx, "GET, HEAD, POST");
      return answer;
    }
    auto posted = read_posted_form(ctx);
    if (!posted.fields) {
      answer.response = posted.refusal;
      return answer;
    }
    const auto taken = ctx.store().take_paste(view->paste.id, ctx.now);
    answer.response = taken ? show(ctx, *taken, ref, true) : not_found(ctx);
    return answer;
  }
  if (!is_read) {
    answer.response = method_not_allowed(ctx, "GET, HEAD");
    return answer;
  }
  set_read(answer, view->paste);
  answer.response = show(ctx, *view, ref, false, answer.counts_hit_for != 0);
  return answer;
}

// The file name a ?download of the raw text is saved as.
std::string download_name(const core::PasteView& shown) {
  std::string name;
  for (char c : shown.paste.title) {
    const bool safe = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                      c == '.' || c == '-' || c == '_';
    name.push_back(safe ? c : '_');
  }
  if (name.empty() || name.find_first_not_of("._") == std::string::npos) {
    name = "paste-" + std::to_string(shown.paste.id);
  }
  if (name.find('.') == std::string::npos) {
    name += "." + download_extension(shown.language_name);
  }
  return name;
}

PasteAnswer raw_answer(Context& ctx, const PasteRef& ref) {
  PasteAnswer answer;
  const auto view = find_paste(ctx, ref);
  if (!view) {
    answer.response = plain(404, "Not found.");
    return answer;
  }
  const bool is_read = ctx.request.method == "GET" || ctx.request.method == "HEAD";
  std::optional<core::PasteView> shown = view;
  if (must_confirm_burn(ctx, view->paste)) {
    if (is_read) {
      answer.response = plain(200,
                              "This paste is deleted when it is read. To read it once, send a "
                              "POST to this address: curl -X POST " +
                                  ctx.origin() + reference_path(ref) + "raw/");
      return answer;
    }
    if (ctx.request.method != "POST") {
      answer.response = plain(405, "Method not allowed: use GET or POST.");
      return answer;
    }
    shown = ctx.store().take_paste(view->paste.id, ctx.now);
    if (!shown) {
      answer.response = plain(404, "Not found.");
      return answer;
    }
  } else if (!is_read) {
    answer.response = plain(405, "Method not allowed: use GET.");
    return answer;
  } else {
    set_read(answer, view->paste);
  }
  http::Response& response = answer.response;
  response.content_type = "text/plain; charset=utf-8";
  if (is_read) {  // a burnt paste is never shown twice: nothing to validate a cache against
    response.add_header("ETag", etag_of(shown->paste.body));
    // May be kept, but checked with us before each use; a private paste only by the browser.
    response.add_header("Cache-Control",
                        shown->paste.is_private ? "private, no-cache" : "no-cache");
  }
  response.body = shown->paste.body;
  if (const auto download = http::field(ctx.query, "download"); download && *download != "0") {
    response.add_header("Content-Disposition",
                        "attachment; filename=\"" + download_name(*shown) + "\"");
  }
  return answer;
}

}  // namespace

http::Response paste_show(Context& ctx, const PasteRef& ref) {
  return cached_paste_answer(ctx, [&] { return show_answer(ctx, ref); });
}

http::Response paste_raw(Context& ctx, const PasteRef& ref) {
  return cached_paste_answer(ctx, [&] { return raw_answer(ctx, ref); });
}

http::Response paste_render(Context& ctx, const PasteRef& ref) {
  const auto view = find_paste(ctx, ref);
  if (!view) {
    return not_found(ctx);
  }
  if (ctx.request.method != "GET" && ctx.request.method != "HEAD") {
    return method_not_allowed(ctx, "GET, HEAD");
  }
  if (!view->paste.rendered_html || must_confirm_burn(ctx, view->paste)) {
    return redirect(reference_path(ref));
  }
  count_hit(ctx, view->paste);
  Data data = paste_summary(*view);
  data.set("base", reference_path(ref));
  return page_with_block(ctx, "paste_render", std::move(data), view->paste.title,
                         *view->paste.rendered_html);
}

}  // namespace sillypaste::web
