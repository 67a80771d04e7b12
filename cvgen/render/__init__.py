"""Rendering: themes (templates + static files) and the pure `render_site`."""
