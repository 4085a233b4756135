"""Repair of double-encoded (mojibake) text in imported digests."""
