#pragma once

#include <map>
#include <string>
#include <string_view>

namespace sillypaste::store::migrations {

// Every file under src/store/migrations/, by relative path ("sqlite/0001_initial.sql").
// Generated at build time by cmake/embed.cmake.
const std::map<std::string, std::string_view>& embedded_files();

}  // namespace sillypaste::store::migrations
