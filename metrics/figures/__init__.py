"""Plotly figures: one look (style), the builders from tidy frames, task figures, and fitting a figure to a
surface (a dashboard column, an image, a slide). Pure functions; every figure carries our own template."""
