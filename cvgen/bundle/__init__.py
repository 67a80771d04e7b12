"""Turning rendered pages into files: the atomic write of the output folder."""
