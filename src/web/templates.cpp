#include "web/templates.hpp"

#include <memory>
#include <stdexcept>

namespace sillypaste::web {
namespace {

using Mustache = kainjow::mustache::mustache;

std::string file_name(std::string_view name) { return std::string(name) + ".mustache"; }

Mustache parse(const std::string& file) {
  const auto& files = templates::embedded_files();
  const auto it = files.find(file);
  if (it == files.end()) {
    throw std::runtime_error("template " + file + " does not exist");
  }
  Mustache parsed{std::string(it->second)};
  if (!parsed.is_valid()) {
    throw std::runtime_error("template " + file + ": " + parsed.error_message());
  }
  return parsed;
}

}  // namespace

Templates::Templates() {
  for (const auto& [file, text] : templates::embedded_files()) {
    (void)text;
    if (file.ends_with(".mustache")) {
      (void)parse(file);
    }
  }
}

std::string Templates::render(std::string_view name, const Data& data) const {
  thread_local std::map<std::string, std::unique_ptr<Mustache>> parsed;
  const std::string file = file_name(name);
  auto it = parsed.find(file);
  if (it == parsed.end()) {
    it = parsed.emplace(file, std::make_unique<Mustache>(parse(file))).first;
  }
  return it->second->render(data);
}

}  // namespace sillypaste::web
