#pragma once

#include <optional>
#include <string>
#include <vector>

namespace sillypaste::cli {

// The new password for createsuperuser / changepassword. With `from_stdin`, or when stdin
// is not a terminal, the first line of stdin (without its "\n" or "\r\n"). On a terminal,
// prompts "Password: " and "Password (again): " on stderr without echo; the two must match.
// nullopt (after saying why on stderr) when there is no line or the entries differ.
[[nodiscard]] std::optional<std::string> read_new_password(bool from_stdin);

// Prints each problem as "sillypaste: error: <problem>" on stderr; true when there were any.
bool report_problems(const std::vector<std::string>& problems);

}  // namespace sillypaste::cli
