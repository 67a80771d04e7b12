"""`cvgen import`: a CV written for another tool, converted into cvgen's content.

One module per source (`linkedin`, `rendercv`, `jsonresume`), each pure: parsed input in,
an `Imported` out (JSON Resume data for `content/cv.yaml`, the settings it implies, and
a report of what was translated, kept and could not be read). `detect` tells the sources
apart by their content; `files` reads a source from disk and `write` puts the result into
a site. The build never knows where a CV came from.
"""
