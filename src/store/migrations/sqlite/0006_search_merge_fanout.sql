-- Search indexing (issue 8): FTS5 merges the trigram index's segments eight at a time
-- instead of four. Each merge rewrites what it merges, so half as many levels rewrite each
-- trigram half as often. Measured on the 100,000-paste benchmark database, indexing 20,000
-- new 1 KB pastes in batches of 50: 346 -> 210 us of CPU per paste, while searches took as
-- long as before (1.2 -> 1.5 ms for 2,024 matches, 8.7 -> 9.1 ms for 18,600). After a 5-s
-- create burst serve's indexer took in the ~22,000 waiting pastes at about 5,300/s instead
-- of 3,900/s. Sixteen at a time indexed cheaper still (130 us) but searches took twice as
-- long. The setting is kept in the index's own config table (pastes_search_config).
INSERT INTO pastes_search (pastes_search, rank) VALUES ('automerge', 8);
