#pragma once

#include <stdexcept>
#include <string>

#include "core/time.hpp"
#include "store/store.hpp"
#include "transfer/django_source.hpp"
#include "transfer/progress.hpp"

namespace sillypaste::transfer {

// A row of the Django database whose id is taken here by a different row.
class ImportConflict : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct DjangoImportResult {
  store::TableCounts inserted;
  store::TableCounts already_present;
  // Rows the next expiry pass would delete at once: expired pastes, anonymous users idle
  // past their lifetime (with their pastes and tokens).
  store::TableCounts skipped;
  std::int64_t plain_text_languages = 0;  // Django names kept without a highlighter match
};

// Copies everything from `source` into `target` in one transaction, keeping paste and user
// ids, password hashes, tokens and timestamps. Rows already imported are left alone
// (nothing is committed when every row was there); throws ImportConflict when an id is
// taken by a different row.
DjangoImportResult import_django(DjangoSource& source, store::Store& target, core::Micros now,
                                 Progress& progress);

}  // namespace sillypaste::transfer
