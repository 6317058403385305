"""Benchmarks: event-grain data at scale, the engine against a pandas baseline, the app under load."""
