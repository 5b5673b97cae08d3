"""Comparison -> str: the shared index, Markdown, one HTML file, charts."""
