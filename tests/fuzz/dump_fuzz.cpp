// transfer::DumpReader, the reader of `sillypaste import`: the input is a dump (JSON
// Lines). Anything malformed must come out as DumpError, nothing else.
#include <cstddef>
#include <cstdint>
#include <sstream>
#include <string>

#include "transfer/dump_format.hpp"

using namespace sillypaste;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::istringstream in(std::string(reinterpret_cast<const char*>(data), size));
  transfer::DumpReader reader(in);
  try {
    (void)reader.read_header();
    while (reader.next()) {
    }
  } catch (const transfer::DumpError&) {
  }
  return 0;
}
