#include "transfer/django_import.hpp"

#include <map>
#include <set>

#include "core/expiry_policy.hpp"
#include "core/paste_builder.hpp"
#include "core/random.hpp"
#include "render/rendered_paste.hpp"
#include "transfer/language_map.hpp"

namespace sillypaste::transfer {
namespace {

// Finds or creates our language rows for Django language ids.
class LanguageResolver {
 public:
  LanguageResolver(store::BulkImport& bulk, std::map<core::Id, std::string> django,
                   DjangoImportResult& result)
      : bulk_(bulk), django_(std::move(django)), ours_(our_language_names()), result_(result) {}

  // Our id and name for a Django language id.
  [[nodiscard]] std::pair<core::Id, std::string> resolve(core::Id django_id) {
    if (const auto cached = by_django_id_.find(django_id); cached != by_django_id_.end()) {
      return cached->second;
    }
    const auto found = django_.find(django_id);
    if (found == django_.end()) {
      throw ImportConflict("core_paste names language id " + std::to_string(django_id) +
                           ", which core_language does not have");
    }
    const auto mapped = our_language_for(found->second, ours_);
    const std::string name = mapped.value_or(found->second);
    core::Id id = 0;
    if (const auto existing = bulk_.language(name)) {
      id = existing->id;
    } else {
      id = bulk_.insert_language({0, name});
      ++result_.inserted.languages;
    }
    if (!mapped) {
      ++result_.plain_text_languages;
    }
    return by_django_id_[django_id] = {id, mapped ? name : std::string()};
  }

 private:
  store::BulkImport& bulk_;
  std::map<core::Id, std::string> django_;
  std::vector<std::string> ours_;
  DjangoImportResult& result_;
  std::map<core::Id, std::pair<core::Id, std::string>> by_django_id_;
};

[[nodiscard]] std::string time_text(core::Micros t) { return core::format_iso8601(t); }

void import_users(DjangoSource& source, store::BulkImport& bulk, core::Micros now,
                  DjangoImportResult& result, std::set<core::Id>& skipped_users,
                  std::set<core::Id>& new_users, Progress& progress) {
  const core::Micros anonymous_cutoff = now - core::kAnonymousUserLifetime;
  source.each_user([&](const core::User& user) {
    progress.tick();
    if (user.is_anonymous && user.last_login.value_or(user.date_joined) < anonymous_cutoff) {
      skipped_users.insert(user.id);
      ++result.skipped.users;
      return;
    }
    if (const auto existing = bulk.user(user.id)) {
      if (existing->username != user.username || existing->date_joined != user.date_joined) {
        throw ImportConflict("user " + std::to_string(user.id) + " exists here as \"" +
                             existing->username + "\" (joined " +
                             time_text(existing->date_joined) + "), the Django one is \"" +
                             user.username + "\" (joined " + time_text(user.date_joined) + ")");
      }
      ++result.already_present.users;
      return;
    }
    bulk.insert_user(user);
    new_users.insert(user.id);
    ++result.inserted.users;
  });
}

void import_tokens(DjangoSource& source, store::BulkImport& bulk, DjangoImportResult& result,
                   const std::set<core::Id>& skipped_users, const std::set<core::Id>& new_users,
                   Progress& progress) {
  source.each_token([&](const store::TokenRow& token) {
    progress.tick();
    if (skipped_users.contains(token.user_id)) {
      ++result.skipped.tokens;
      return;
    }
    if (const auto existing = bulk.token(token.key)) {
      if (existing->user_id != token.user_id) {
        throw ImportConflict("token " + token.key.substr(0, 6) + "… belongs to user " +
                             std::to_string(existing->user_id) + " here, to user " +
                             std::to_string(token.user_id) + " in Django");
      }
      ++result.already_present.tokens;
      return;
    }
    if (!new_users.contains(token.user_id)) {
      // Imported before; the user has replaced or removed the token since.
      ++result.already_present.tokens;
      return;
    }
    bulk.insert_token(token);
    ++result.inserted.tokens;
  });
}

void import_pastes(DjangoSource& source, store::BulkImport& bulk, core::Micros now,
                   DjangoImportResult& result, const std::set<core::Id>& skipped_users,
                   LanguageResolver& languages, Progress& progress) {
  source.each_paste([&](const core::Paste& django) {
    progress.tick();
    if ((django.expiry && *django.expiry <= now) ||
        (django.author_id && skipped_users.contains(*django.author_id))) {
      ++result.skipped.pastes;
      return;
    }
    if (const auto existing = bulk.paste(django.id)) {
      if (existing->timestamp != django.timestamp) {
        throw ImportConflict("paste " + std::to_string(django.id) + " exists here (created " +
                             time_text(existing->timestamp) + "), the Django one was created " +
                             time_text(django.timestamp));
      }
      ++result.already_present.pastes;
      return;
    }
    core::Paste paste = django;
    std::string language_name;
    if (django.language_id) {
      auto [id, name] = languages.resolve(*django.language_id);
      paste.language_id = id;
      language_name = std::move(name);  // empty for a Django-only language: plain text
    }
    if (paste.is_private) {
      // Shared by /<id>/ in the original, so that link keeps working (SPEC §3).
      paste.secret = core::random_slug(core::kSecretBytes);
      paste.legacy_id_access = true;
    }
    auto rendered = render::render_paste(paste.body, language_name);
    paste.body_html = std::move(rendered.body_html);
    paste.rendered_html = std::move(rendered.rendered_html);
    bulk.insert_paste(paste);
    ++result.inserted.pastes;
  });
}

void import_expiry_logs(DjangoSource& source, store::BulkImport& bulk,
                        DjangoImportResult& result, Progress& progress) {
  source.each_expiry_log([&](const core::ExpiryLog& log) {
    progress.tick();
    if (bulk.has_expiry_log(log.timestamp, log.expired_ids)) {
      ++result.already_present.expiry_logs;
      return;
    }
    core::ExpiryLog copy = log;
    if (bulk.expiry_log(log.id)) {
      copy.id = 0;  // the id is one of ours: keep the log under a new one
    }
    bulk.insert_expiry_log(copy);
    ++result.inserted.expiry_logs;
  });
}

}  // namespace

DjangoImportResult import_django(DjangoSource& source, store::Store& target, core::Micros now,
                                 Progress& progress) {
  DjangoImportResult result;
  auto bulk = target.begin_import();
  std::set<core::Id> skipped_users, new_users;
  import_users(source, *bulk, now, result, skipped_users, new_users, progress);
  import_tokens(source, *bulk, result, skipped_users, new_users, progress);
  LanguageResolver languages(*bulk, source.languages(), result);
  progress.tick(source.counts().languages);
  import_pastes(source, *bulk, now, result, skipped_users, languages, progress);
  import_expiry_logs(source, *bulk, result, progress);
  if (result.inserted.total() == 0) {
    return result;  // rolled back: nothing to change
  }
  const store::TableCounts sequences = source.sequences();
  bulk->set_sequences({sequences.users, 0, 0, sequences.pastes, 0});
  bulk->commit();
  return result;
}

}  // namespace sillypaste::transfer
