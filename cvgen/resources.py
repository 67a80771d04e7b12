"""Where cvgen's own files are: built-in themes, infra templates and the example site.

In a wheel they ship under `cvgen/_data/` (see pyproject's force-include); in a source
checkout (editable install, development) they are the repo's own `theme/`, `infra/`,
`content/` and `cvgen.yaml`, so editing the built-in theme takes effect at once.
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent
_DATA = _PACKAGE / "_data"
_CHECKOUT = _PACKAGE.parent


def _pick(wheel_path: Path, checkout_path: Path) -> Path:
    return wheel_path if wheel_path.exists() else checkout_path


def builtin_themes_dir() -> Path:
    """The folder holding the built-in themes (`<dir>/default/templates`, ...)."""
    return _pick(_DATA / "theme", _CHECKOUT / "theme")


def infra_templates_dir() -> Path:
    """The folder holding the CloudFormation templates (site.yaml, counter.yaml, ...)."""
    return _pick(_DATA / "infra", _CHECKOUT / "infra")


def example_site_dir() -> Path:
    """A folder holding the example site: `cvgen.yaml` and `content/`."""
    return _pick(_DATA / "example", _CHECKOUT)


def counter_lambda_dir() -> Path:
    """The `counter_lambda` package folder (what the Lambda zip contains)."""
    import counter_lambda

    return Path(counter_lambda.__file__).resolve().parent
