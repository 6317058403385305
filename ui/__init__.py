"""Streamlit helpers for the dashboard: shared sidebar, cached data, strings, components, downloads."""
