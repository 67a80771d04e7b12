"""cvgen.yaml write-back: safe edits only, the file never left invalid or reformatted."""

from __future__ import annotations

from pathlib import Path

import pytest

from cvgen.settings.config import load_config
from cvgen.settings.write import write_settings

UPDATES = {
    "publish": {"bucket": "cvgen-site-bucket-1", "region": "eu-west-1"},
    "infra": {"stack_prefix": "cvgen", "reserved_concurrency": 10},
}


def write(tmp_path: Path, text: str) -> Path:
    (tmp_path / "cvgen.yaml").write_text(text, encoding="utf-8")
    return tmp_path


def test_block_file_keeps_comments_order_and_quoting(tmp_path: Path) -> None:
    root = write(
        tmp_path,
        "# my site\n"
        "site:\n"
        "  url: 'https://me.example.org/'  # where it lives\n"
        "publish:\n"
        "  bucket: null   # filled by deploy\n"
        "  prefix: cv\n"
        "\n"
        "theme: default\n",
    )
    result = write_settings(root, UPDATES)
    assert result.to_paste == {}
    assert (root / "cvgen.yaml").read_text(encoding="utf-8") == (
        "# my site\n"
        "site:\n"
        "  url: 'https://me.example.org/'  # where it lives\n"
        "publish:\n"
        '  bucket: "cvgen-site-bucket-1"   # filled by deploy\n'
        "  prefix: cv\n"
        '  region: "eu-west-1"\n'
        "\n"
        "theme: default\n"
        "\n"
        "infra:\n"
        '  stack_prefix: "cvgen"\n'
        "  reserved_concurrency: 10\n"
    )
    config = load_config(root)
    assert config.publish.bucket == "cvgen-site-bucket-1"
    assert config.infra.reserved_concurrency == 10


def test_four_space_indentation_is_kept(tmp_path: Path) -> None:
    root = write(tmp_path, "site:\n    url: https://me.example.org/\npublish:\n    prefix: cv\n")
    result = write_settings(root, UPDATES)
    assert result.to_paste == {}
    text = (root / "cvgen.yaml").read_text(encoding="utf-8")
    assert '\n    bucket: "cvgen-site-bucket-1"\n' in text
    assert '\ninfra:\n    stack_prefix: "cvgen"\n    reserved_concurrency: 10\n' in text
    assert load_config(root).publish.region == "eu-west-1"


def test_flow_style_section_is_left_alone_and_offered_for_pasting(tmp_path: Path) -> None:
    text = "site: {url: 'https://me.example.org/'}\npublish: {region: eu-west-1, prefix: cv}\n"
    root = write(tmp_path, text)
    result = write_settings(root, UPDATES)
    assert (root / "cvgen.yaml").read_text(encoding="utf-8").startswith(text)
    assert result.to_paste == {"publish": UPDATES["publish"]}
    assert result.paste_lines()[:3] == [
        "publish:",
        '  bucket: "cvgen-site-bucket-1"',
        '  region: "eu-west-1"',
    ]
    assert result.written == ["infra.stack_prefix", "infra.reserved_concurrency"]
    load_config(root)  # still valid, no duplicate `publish:`


def test_empty_section_and_missing_file(tmp_path: Path) -> None:
    root = write(tmp_path, "publish:\ninfra:  # set by deploy\n")
    assert write_settings(root, UPDATES).to_paste == {}
    assert load_config(root).infra.reserved_concurrency == 10
    fresh = tmp_path / "fresh"
    fresh.mkdir()
    assert write_settings(fresh, UPDATES).to_paste == {}
    assert load_config(fresh).publish.bucket == "cvgen-site-bucket-1"


@pytest.mark.parametrize(
    "text",
    [
        "publish:\n  bucket: >\n    folded\n",  # a block scalar spans lines
        "publish:\n  bucket:\n    - not a scalar\n",  # and would not validate anyway
        "- a list at the top\n",
        "publish:\n  bucket: x\npublish:\n  region: y\n",  # already broken: never made worse
    ],
)
def test_unsafe_or_invalid_files_are_never_touched(tmp_path: Path, text: str) -> None:
    root = write(tmp_path, text)
    result = write_settings(root, {"publish": {"bucket": "b"}})
    assert (root / "cvgen.yaml").read_text(encoding="utf-8") == text
    assert result.written == [] and result.to_paste == {"publish": {"bucket": "b"}}


def test_a_value_that_would_not_validate_is_not_written(tmp_path: Path) -> None:
    text = "site:\n  url: https://me.example.org/\n"
    root = write(tmp_path, text)
    result = write_settings(root, {"site": {"url": "not a url"}})
    assert (root / "cvgen.yaml").read_text(encoding="utf-8") == text
    assert result.to_paste == {"site": {"url": "not a url"}}
