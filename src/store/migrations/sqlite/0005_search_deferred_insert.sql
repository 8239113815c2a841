-- Creates (issue 8): new pastes no longer enter the trigram index in their own transaction.
-- Tokenizing a 1 KB paste into FTS5 trigrams costs about 0.25 ms under the write lock, which
-- capped creates near 1,000 a second. Pastes with ids above search_progress.indexed_through
-- are indexed later, in batches, by serve's search indexer (jobs/search_indexer.cpp) or at
-- the end of an import; until then searches read them directly (the listing adds every id
-- above the mark to the index's candidates and checks them with LIKE), so results never lag.
--
-- Rows at or below the mark are in the index, and stay in step with it as before: an insert
-- with an explicit id there (import) is indexed at once, an update re-indexes, a delete
-- queues the old text in pastes_search_stale. Rows above the mark have no entry: deleting
-- or updating them touches nothing. The mark only grows, under the write lock.

CREATE TABLE search_progress (
  singleton INTEGER PRIMARY KEY CHECK (singleton = 1),
  indexed_through INTEGER NOT NULL
);
-- Every paste that exists now was indexed by the triggers of 0004.
INSERT INTO search_progress (singleton, indexed_through)
  VALUES (1, COALESCE((SELECT MAX(id) FROM pastes), 0));

DROP TRIGGER pastes_search_insert;
CREATE TRIGGER pastes_search_insert AFTER INSERT ON pastes BEGIN
  INSERT INTO pastes_search (pastes_search, rowid, title, body)
    SELECT 'delete', id, title, body FROM pastes_search_stale WHERE id = new.id;
  DELETE FROM pastes_search_stale WHERE id = new.id;
  INSERT INTO pastes_search (rowid, title, body)
    SELECT new.id, new.title, new.body FROM search_progress
    WHERE new.id <= indexed_through;
END;

DROP TRIGGER pastes_search_delete;
CREATE TRIGGER pastes_search_delete AFTER DELETE ON pastes BEGIN
  INSERT INTO pastes_search_stale (id, title, body)
    SELECT old.id, old.title, old.body FROM search_progress
    WHERE old.id <= indexed_through;
END;

DROP TRIGGER pastes_search_update;
CREATE TRIGGER pastes_search_update AFTER UPDATE OF id, title, body ON pastes BEGIN
  INSERT INTO pastes_search (pastes_search, rowid, title, body)
    SELECT 'delete', old.id, old.title, old.body FROM search_progress
    WHERE old.id <= indexed_through;
  INSERT INTO pastes_search (pastes_search, rowid, title, body)
    SELECT 'delete', id, title, body FROM pastes_search_stale WHERE id = new.id;
  DELETE FROM pastes_search_stale WHERE id = new.id;
  INSERT INTO pastes_search (rowid, title, body)
    SELECT new.id, new.title, new.body FROM search_progress
    WHERE new.id <= indexed_through;
END
