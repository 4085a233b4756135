"""Curated notes: the format, checks, tags and aliases, rendering, math, sanitising, commands."""
