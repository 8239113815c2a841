#pragma once

#include <stdlib.h>  // mkdtemp

#include <filesystem>
#include <stdexcept>
#include <string>
#include <string_view>

namespace sillypaste::store::testing {

// A new empty directory under the system's temporary directory, named `prefix` and six
// random characters; the caller removes it. Throws when it cannot be made.
[[nodiscard]] inline std::filesystem::path make_temp_dir(std::string_view prefix) {
  std::string pattern =
      (std::filesystem::temp_directory_path() / (std::string(prefix) + "XXXXXX")).string();
  if (mkdtemp(pattern.data()) == nullptr) {
    throw std::runtime_error("cannot make a temporary directory like " + pattern);
  }
  return pattern;
}

}  // namespace sillypaste::store::testing
