"""Exports for analysts and meetings: CSV/XLSX bytes, chart images, the slide pack. Never imports streamlit."""
