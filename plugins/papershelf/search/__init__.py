"""Search: text rules, the stemmer, documents, the sharded index, the query syntax,
related papers."""
