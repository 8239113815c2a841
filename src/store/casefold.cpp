#include "store/casefold.hpp"

namespace sillypaste::store {
namespace {

[[nodiscard]] char32_t lower(char32_t c) {
  if (c >= U'A' && c <= U'Z') {
    return c + 0x20;
  }
  if (c < 0xC0) {
    return c;
  }
  if (c <= 0xDE) {
    return c == 0xD7 ? c : c + 0x20;  // U+00D7 is the multiplication sign
  }
  if (c == 0x130) {
    return U'i';  // dotted capital I
  }
  if (c >= 0x100 && c <= 0x137) {
    return (c % 2 == 0) ? c + 1 : c;
  }
  if (c >= 0x139 && c <= 0x148) {
    return (c % 2 == 1) ? c + 1 : c;
  }
  if (c >= 0x14A && c <= 0x177) {
    return (c % 2 == 0) ? c + 1 : c;
  }
  if (c == 0x178) {
    return 0xFF;
  }
  if (c >= 0x179 && c <= 0x17E) {
    return (c % 2 == 1) ? c + 1 : c;
  }
  if (c == 0x386) {
    return 0x3AC;
  }
  if (c >= 0x388 && c <= 0x38A) {
    return c + 0x25;
  }
  if (c == 0x38C) {
    return 0x3CC;
  }
  if (c == 0x38E || c == 0x38F) {
    return c + 0x3F;
  }
  if (c >= 0x391 && c <= 0x3A9) {
    return c == 0x3A2 ? c : c + 0x20;
  }
  if (c >= 0x400 && c <= 0x40F) {
    return c + 0x50;
  }
  if (c >= 0x410 && c <= 0x42F) {
    return c + 0x20;
  }
  return c;
}

void append_utf8(std::string& out, char32_t c) {
  if (c < 0x80) {
    out.push_back(static_cast<char>(c));
  } else {  // every mapped code point is below U+0800
    out.push_back(static_cast<char>(0xC0 | (c >> 6)));
    out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
  }
}

}  // namespace

std::string fold_case(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto byte = static_cast<unsigned char>(text[i]);
    if (byte < 0x80) {
      append_utf8(out, lower(byte));
      continue;
    }
    // Only two-byte sequences hold letters we map; everything else is copied.
    if (byte >= 0xC2 && byte <= 0xDF && i + 1 < text.size()) {
      const auto next = static_cast<unsigned char>(text[i + 1]);
      if ((next & 0xC0) == 0x80) {
        append_utf8(out, lower((char32_t{byte} & 0x1F) << 6 | (next & 0x3F)));
        ++i;
        continue;
      }
    }
    out.push_back(static_cast<char>(byte));
  }
  return out;
}

}  // namespace sillypaste::store
