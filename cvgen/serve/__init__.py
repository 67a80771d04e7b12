"""`cvgen serve`: the live preview (see preview.py for the pipeline)."""
