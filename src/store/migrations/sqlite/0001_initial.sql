-- Sillypaste schema, SQLite flavour. Append-only: later changes go in 0002_*.sql etc.
-- Times are microseconds since the Unix epoch (UTC); booleans are 0/1.
-- AUTOINCREMENT keeps ids from ever being reused, so an old link never shows a newer paste.
-- The migration runner splits this file on ';' outside quotes and comments: no triggers.

CREATE TABLE IF NOT EXISTS schema_migrations (
  version INTEGER PRIMARY KEY,
  applied_at BIGINT NOT NULL
);

CREATE TABLE settings (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
);

CREATE TABLE users (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  username TEXT NOT NULL,
  -- Case-folded in C++ (store/casefold.hpp): SQLite's lower() knows ASCII only.
  username_lower TEXT NOT NULL UNIQUE,
  password_hash TEXT NOT NULL DEFAULT '',
  email TEXT NOT NULL DEFAULT '',
  first_name TEXT NOT NULL DEFAULT '',
  last_name TEXT NOT NULL DEFAULT '',
  is_staff INTEGER NOT NULL DEFAULT 0,
  is_superuser INTEGER NOT NULL DEFAULT 0,
  is_active INTEGER NOT NULL DEFAULT 1,
  is_anonymous INTEGER NOT NULL DEFAULT 0,
  date_joined BIGINT NOT NULL,
  last_login BIGINT
);
CREATE INDEX users_anonymous_idx ON users (is_anonymous);

CREATE TABLE sessions (
  id TEXT PRIMARY KEY,
  user_id INTEGER REFERENCES users (id) ON DELETE CASCADE,
  created BIGINT NOT NULL,
  expires BIGINT NOT NULL
);
CREATE INDEX sessions_user_idx ON sessions (user_id);
CREATE INDEX sessions_expires_idx ON sessions (expires);

CREATE TABLE tokens (
  key TEXT PRIMARY KEY,
  user_id INTEGER NOT NULL UNIQUE REFERENCES users (id) ON DELETE CASCADE,
  created BIGINT NOT NULL
);

CREATE TABLE languages (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  name TEXT NOT NULL UNIQUE
);

CREATE TABLE pastes (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  title TEXT NOT NULL,
  body TEXT NOT NULL,
  timestamp BIGINT NOT NULL,
  expiry BIGINT,
  is_private INTEGER NOT NULL DEFAULT 0,
  -- NULL for public pastes (UNIQUE allows many NULLs).
  secret TEXT UNIQUE,
  legacy_id_access INTEGER NOT NULL DEFAULT 0,
  burn INTEGER NOT NULL DEFAULT 0,
  hits BIGINT NOT NULL DEFAULT 0,
  freeze_hits INTEGER NOT NULL DEFAULT 0,
  size BIGINT NOT NULL DEFAULT 0,
  author_id INTEGER REFERENCES users (id) ON DELETE CASCADE,
  language_id INTEGER REFERENCES languages (id) ON DELETE SET NULL,
  body_html TEXT NOT NULL DEFAULT '',
  rendered_html TEXT
);
CREATE INDEX pastes_timestamp_idx ON pastes (timestamp);
CREATE INDEX pastes_hits_idx ON pastes (hits);
CREATE INDEX pastes_author_idx ON pastes (author_id);
CREATE INDEX pastes_language_idx ON pastes (language_id);
CREATE INDEX pastes_expiry_idx ON pastes (expiry);

CREATE TABLE expiry_logs (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  expired_ids TEXT NOT NULL DEFAULT '',
  timestamp BIGINT NOT NULL,
  user_cutoff BIGINT,
  paste_count BIGINT NOT NULL DEFAULT 0,
  reclaimed_space BIGINT NOT NULL DEFAULT 0,
  user_count BIGINT NOT NULL DEFAULT 0,
  completed INTEGER NOT NULL DEFAULT 0
);
