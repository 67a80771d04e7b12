"""`cvgen stats`: who opened which page, from the counter (read only)."""
