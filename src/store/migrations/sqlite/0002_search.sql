-- Search index (issue 5 item 3): an FTS5 trigram index over pastes' titles and bodies,
-- kept in sync by triggers (external content: the text itself stays in pastes only).
-- Search terms of three or more characters look candidates up here; the listing query
-- still confirms each with sp_fold(...) LIKE, so results are exactly those of a scan.

CREATE VIRTUAL TABLE pastes_search USING fts5(
  title, body,
  content = 'pastes', content_rowid = 'id',
  tokenize = 'trigram case_sensitive 0'
);

CREATE TRIGGER pastes_search_insert AFTER INSERT ON pastes BEGIN
  INSERT INTO pastes_search (rowid, title, body) VALUES (new.id, new.title, new.body);
END;

CREATE TRIGGER pastes_search_delete AFTER DELETE ON pastes BEGIN
  INSERT INTO pastes_search (pastes_search, rowid, title, body)
    VALUES ('delete', old.id, old.title, old.body);
END;

-- Only title and body changes touch the index (hit counts are updated far more often).
CREATE TRIGGER pastes_search_update AFTER UPDATE OF id, title, body ON pastes BEGIN
  INSERT INTO pastes_search (pastes_search, rowid, title, body)
    VALUES ('delete', old.id, old.title, old.body);
  INSERT INTO pastes_search (rowid, title, body) VALUES (new.id, new.title, new.body);
END;

-- Index the pastes that exist already.
INSERT INTO pastes_search (pastes_search) VALUES ('rebuild');
