#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace sillypaste::core {

constexpr std::size_t kMinPasswordLength = 8;
// Django's UserAttributeSimilarityValidator default.
constexpr double kMaxPasswordSimilarity = 0.7;

// Every rule `password` breaks, as Django words it (empty: acceptable): too similar to
// the username, shorter than 8 characters, in the common-password list, entirely numeric.
[[nodiscard]] std::vector<std::string> password_problems(std::string_view password,
                                                         std::string_view username);

// Whether the lower-cased, trimmed password is in the embedded list of 20,000 common ones.
[[nodiscard]] bool is_common_password(std::string_view password);

// difflib.SequenceMatcher(a, b).quick_ratio() over code points: an upper bound on how
// similar two strings are, 2 * shared characters / total characters.
[[nodiscard]] double quick_similarity(std::string_view a, std::string_view b);

}  // namespace sillypaste::core
