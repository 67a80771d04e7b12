"""A user's site repository: what `cvgen new` writes and `cvgen upgrade-site` keeps current.

`files` renders the repository's own files (cvgen.yaml, README, .gitignore, the deploy
workflow pinned to a cvgen version); `create` writes a new site; `upgrade` moves a site's
workflow to another cvgen version and reports what changed.
"""
