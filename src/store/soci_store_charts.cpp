// SociStore: the numbers behind the /stats/ charts. Portable SQL: times are BIGINT
// microseconds since the epoch, so a UTC day is timestamp / 86400000000.
#include <map>

#include "store/soci_store.hpp"
#include "store/soci_store_detail.hpp"

namespace sillypaste::store {

DailyPasteStats SociStore::daily_paste_stats(int days, core::Micros now) {
  return guarded("daily_paste_stats", [&] {
    soci::session sql(pool_);
    Transaction read(sql, dialect_.begin_read);
    constexpr long long kDay = 86'400'000'000LL;
    const long long since = (now / kDay - (days > 0 ? days - 1 : 0)) * kDay;
    std::map<long long, DailyPasteStats::Day> by_day;
    long long day = 0, count = 0, bytes = 0;
    {
      soci::statement st =
          (sql.prepare << "SELECT timestamp / 86400000000, COUNT(*), COALESCE(SUM(size), 0) "
                          "FROM pastes WHERE timestamp >= :since GROUP BY timestamp / 86400000000",
           soci::use(since), soci::into(day), soci::into(count), soci::into(bytes));
      if (st.execute(true)) {
        do {
          auto& entry = by_day[day];
          entry.day = day;
          entry.pastes = count;
          entry.bytes = bytes;
        } while (st.fetch());
      }
    }
    {
      soci::statement st =
          (sql.prepare << "SELECT timestamp / 86400000000, COALESCE(SUM(paste_count), 0), "
                          "COALESCE(SUM(reclaimed_space), 0) FROM expiry_logs "
                          "WHERE timestamp >= :since GROUP BY timestamp / 86400000000",
           soci::use(since), soci::into(day), soci::into(count), soci::into(bytes));
      if (st.execute(true)) {
        do {
          auto& entry = by_day[day];
          entry.day = day;
          entry.expired = count;
          entry.reclaimed = bytes;
        } while (st.fetch());
      }
    }
    DailyPasteStats result;
    for (auto& [key, entry] : by_day) {
      result.days.push_back(entry);
    }
    std::string name;
    {
      soci::statement st =
          (sql.prepare << "SELECT COALESCE(l.name, ''), COUNT(*) FROM pastes p "
                          "LEFT JOIN languages l ON l.id = p.language_id "
                          "GROUP BY COALESCE(l.name, '') ORDER BY COUNT(*) DESC, "
                          "COALESCE(l.name, '') LIMIT 10",
           soci::into(name), soci::into(count));
      if (st.execute(true)) {
        do {
          result.languages.emplace_back(name, count);
        } while (st.fetch());
      }
    }
    read.commit();
    return result;
  });
}

}  // namespace sillypaste::store
