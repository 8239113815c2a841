-- Search index (issue 5 item 3): trigram GIN indexes on the folded title and body, which
-- the listing's lower(title) LIKE / lower(body) LIKE predicates use for terms of three or
-- more characters. The expressions must stay exactly those of the listing query.

CREATE EXTENSION IF NOT EXISTS pg_trgm;

CREATE INDEX pastes_title_trgm_idx ON pastes USING gin (lower(title) gin_trgm_ops);
CREATE INDEX pastes_body_trgm_idx ON pastes USING gin (lower(body) gin_trgm_ops);
