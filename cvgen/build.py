"""`cvgen build`: the whole pipeline, one line per stage (see DESIGN.md, "The flow").

Stages (each in its own module): load config -> load + validate content -> load theme ->
render pages (pure: {output path: bytes}) -> write atomically into output/.
`cvgen serve` reuses `render_pages` and writes into its own temporary folder.
"""
