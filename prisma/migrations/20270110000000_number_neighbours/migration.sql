-- Numbers a typo or two away are found through the `norm` and `rev` B-trees (DECISIONS 120): a head range and tail
-- ranges per query, each read in index order. The trigram index they replace answered from the posting lists of
-- digit trigrams (tens of thousands of numbers each) and cost every import ~11 index entries a number.
DROP INDEX IF EXISTS catalog_numbers_norm_trgm;
