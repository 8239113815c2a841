#include "web/response_cache.hpp"

#include <algorithm>

#include "web/http_cache.hpp"

namespace sillypaste::web {
namespace {

// Made once per kept answer, so worth more effort than an answer made per request.
constexpr int kCachedGzipLevel = 6;

}  // namespace

std::size_t ResponseCache::Entry::bytes() const {
  std::size_t total = content_type.size();
  for (const auto& piece : pieces) {
    total += piece.size();
  }
  for (const auto& [name, value] : headers) {
    total += name.size() + value.size();
  }
  return total;
}

const std::string& ResponseCache::Entry::gzipped() const {
  std::call_once(gzip_once_, [this] {
    if (needs_csrf_token()) {
      return;
    }
    std::string compressed = gzip(pieces.front(), kCachedGzipLevel);
    if (compressed.size() < pieces.front().size()) {
      gzipped_ = std::move(compressed);
    }
  });
  return gzipped_;
}

http::Response ResponseCache::Entry::without_body() const {
  http::Response response;
  response.status = status;
  response.content_type = content_type;
  response.headers = headers;
  return response;
}

http::Response ResponseCache::Entry::assemble(std::string_view csrf_token) const {
  http::Response response = without_body();
  std::size_t size = csrf_token.size() * (pieces.size() - 1);
  for (const auto& piece : pieces) {
    size += piece.size();
  }
  response.body.reserve(size);
  for (std::size_t i = 0; i < pieces.size(); ++i) {
    if (i > 0) {
      response.body.append(csrf_token);
    }
    response.body.append(pieces[i]);
  }
  return response;
}

std::shared_ptr<const std::string> ResponseCache::shared_bytes(const EntryPtr& entry,
                                                               bool gzipped) {
  const std::string& bytes =
      gzipped && !entry->gzipped().empty() ? entry->gzipped() : entry->pieces.front();
  return {entry, &bytes};  // aliasing: owns the entry, points at its bytes
}

http::Response ResponseCache::shared_answer(const EntryPtr& entry, bool gzipped) {
  http::Response response = entry->without_body();
  response.share_body(shared_bytes(entry, gzipped));
  return response;
}

std::shared_ptr<ResponseCache::Entry> ResponseCache::split(http::Response response,
                                                           std::string_view placeholder,
                                                           std::uint64_t generation,
                                                           core::Micros now) {
  auto entry = std::make_shared<Entry>();
  entry->status = response.status;
  entry->content_type = std::move(response.content_type);
  entry->headers = std::move(response.headers);
  entry->generation = generation;
  entry->built = now;
  const std::string_view body = response.body;
  std::size_t start = 0;
  for (std::size_t at = placeholder.empty() ? std::string_view::npos : body.find(placeholder);
       at != std::string_view::npos; at = body.find(placeholder, start)) {
    entry->pieces.emplace_back(body.substr(start, at - start));
    start = at + placeholder.size();
  }
  entry->pieces.emplace_back(body.substr(start));
  return entry;
}

ResponseCache::EntryPtr ResponseCache::answer(const std::string& key, core::Micros now,
                                              const std::function<EntryPtr(std::uint64_t)>& build) {
  return answer(key, now, build, true);
}

ResponseCache::EntryPtr ResponseCache::answer_without_waiting(
    const std::string& key, core::Micros now, const std::function<EntryPtr(std::uint64_t)>& build) {
  return answer(key, now, build, false);
}

ResponseCache::EntryPtr ResponseCache::answer(const std::string& key, core::Micros now,
                                              const std::function<EntryPtr(std::uint64_t)>& build,
                                              bool wait) {
  std::unique_lock lock(mutex_);
  const auto current = generation();
  auto& slot = slots_[key];
  if (auto servable = servable_locked(slot, now)) {
    return servable;
  }
  if (slot.building.valid() && slot.building_generation == current) {
    if (!wait) {
      return nullptr;
    }
    auto building = slot.building;
    lock.unlock();
    if (auto built = building.get()) {
      return built;
    }
    return build(generation());  // that build failed: try on our own
  }
  std::promise<EntryPtr> promise;
  slot.building = promise.get_future().share();
  slot.building_generation = current;
  const auto id = ++next_build_id_;
  slot.building_id = id;
  lock.unlock();

  EntryPtr built;
  try {
    built = build(current);
  } catch (...) {
    finish(key, id, nullptr);
    promise.set_value(nullptr);
    throw;
  }
  finish(key, id, built);
  promise.set_value(built);
  return built;
}

ResponseCache::EntryPtr ResponseCache::peek(const std::string& key, core::Micros now) const {
  const std::lock_guard lock(mutex_);
  const auto found = slots_.find(key);
  return found == slots_.end() ? nullptr : servable_locked(found->second, now);
}

ResponseCache::EntryPtr ResponseCache::servable_locked(const Slot& slot, core::Micros now) const {
  if (!slot.entry || slot.entry->generation != generation() || now < slot.entry->built ||
      (slot.entry->expires && now >= *slot.entry->expires)) {
    return nullptr;
  }
  const auto age = now - slot.entry->built;
  if (age < limits_.max_age) {
    return slot.entry;
  }
  if (age < limits_.max_age + limits_.max_stale && slot.building.valid()) {
    return slot.entry;  // another request is refreshing it
  }
  return nullptr;
}

void ResponseCache::finish(const std::string& key, std::uint64_t build_id, const EntryPtr& built) {
  const std::lock_guard lock(mutex_);
  const auto found = slots_.find(key);
  if (found == slots_.end()) {
    return;
  }
  auto& slot = found->second;
  if (slot.building_id == build_id) {
    slot.building = {};
  }
  const bool keep = built && built->keep && built->status == 200 &&
                    built->generation == generation() &&
                    built->bytes() + key.size() <= limits_.max_bytes / 4 &&
                    (!slot.entry || slot.entry->built <= built->built);
  if (keep) {
    if (slot.entry) {
      bytes_ -= slot.entry->bytes() + key.size();
    }
    slot.entry = built;
    bytes_ += built->bytes() + key.size();
  }
  if (!slot.entry && !slot.building.valid()) {
    slots_.erase(found);
  }
  if (keep) {
    evict_locked(built->built);
  }
}

std::size_t ResponseCache::size() const {
  const std::lock_guard lock(mutex_);
  std::size_t kept = 0;
  for (const auto& [key, slot] : slots_) {
    kept += slot.entry ? 1 : 0;
  }
  return kept;
}

// Drops answers that can no longer be served, then the oldest, until within the limits.
void ResponseCache::evict_locked(core::Micros now) {
  std::size_t entries = 0;
  for (const auto& [key, slot] : slots_) {
    entries += slot.entry ? 1 : 0;
  }
  const auto over = [&] { return entries > limits_.max_entries || bytes_ > limits_.max_bytes; };
  if (!over()) {
    return;
  }
  const auto current = generation();
  const auto drop = [&](auto it) {
    bytes_ -= it->second.entry->bytes() + it->first.size();
    --entries;
    it->second.entry.reset();
    return it->second.building.valid() ? std::next(it) : slots_.erase(it);
  };
  for (auto it = slots_.begin(); it != slots_.end();) {
    const auto& entry = it->second.entry;
    const bool useless = entry && (entry->generation != current ||
                                   now - entry->built >= limits_.max_age + limits_.max_stale);
    it = useless ? drop(it) : std::next(it);
  }
  while (over()) {
    auto oldest = slots_.end();
    for (auto it = slots_.begin(); it != slots_.end(); ++it) {
      if (it->second.entry &&
          (oldest == slots_.end() || it->second.entry->built < oldest->second.entry->built)) {
        oldest = it;
      }
    }
    drop(oldest);
  }
}

}  // namespace sillypaste::web
