"""Corpus mode: ingest (build), store, dedupe, story clustering, scale-out, profiles, export."""
