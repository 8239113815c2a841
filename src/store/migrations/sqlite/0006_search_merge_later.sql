-- Creates (issue 8): FTS5 merges the trigram index's segments less eagerly. With its default
-- (automerge 4), the merging done while new pastes were indexed was most of the cost of
-- indexing them: 1 KB pastes indexed in batches of 50 took 390 us each, 170 us with
-- automerge 16 (a microbenchmark on 10,000 pastes), so serve's search indexer takes half
-- the CPU it took during a burst of creates. Searches then meet up to 16 segments per level
-- instead of 4; once nothing is left to index, serve's search indexer merges those
-- (Store::tidy_search_index, jobs/search_indexer.cpp).
INSERT INTO pastes_search (pastes_search, rank) VALUES ('automerge', 16);
