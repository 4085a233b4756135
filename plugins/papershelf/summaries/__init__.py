"""Summaries: the short summary of cards and feeds, and AI summaries with their chat client."""
