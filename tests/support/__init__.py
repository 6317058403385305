"""Helpers shared by the tests (no tests here): browser and server control, ingest snapshots, SQL oracles."""
