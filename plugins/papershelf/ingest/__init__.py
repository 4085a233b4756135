"""From arXiv to records: feed parsing, keyword matching, merging, the polite HTTP client, fetch."""
