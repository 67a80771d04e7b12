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


def test_new_keys_go_into_a_section_in_the_order_given(tmp_path: Path) -> None:
    root = write(tmp_path, "publish:\n  prefix: cv\n")
    updates = {"publish": {"bucket": "b", "region": "eu-west-1", "distribution_id": "E1"}}
    assert write_settings(root, updates).written == [
        "publish.bucket",
        "publish.region",
        "publish.distribution_id",
    ]
    assert (root / "cvgen.yaml").read_text(encoding="utf-8") == (
        'publish:\n  prefix: cv\n  bucket: "b"\n  region: "eu-west-1"\n  distribution_id: "E1"\n'
    )


def test_a_section_ending_in_a_nested_value_gets_the_key_after_it(tmp_path: Path) -> None:
    text = (
        "publish:\n"
        "  cache:\n"
        "    - pattern: '*.html'\n"
        "      cache_control: no-cache\n"
        "theme: default\n"
    )
    root = write(tmp_path, text)
    assert write_settings(root, {"publish": {"bucket": "b"}}).to_paste == {}
    assert (root / "cvgen.yaml").read_text(encoding="utf-8") == text.replace(
        "theme:", '  bucket: "b"\ntheme:'
    )
    config = load_config(root)
    assert config.publish.bucket == "b" and len(config.publish.cache) == 1


def test_a_file_without_a_final_newline(tmp_path: Path) -> None:
    root = write(tmp_path, "publish:\n  prefix: cv")
    assert write_settings(root, {"publish": {"bucket": "b"}, "infra": {"region": "x"}}).written
    assert (root / "cvgen.yaml").read_text(encoding="utf-8") == (
        'publish:\n  prefix: cv\n  bucket: "b"\n\ninfra:\n  region: "x"\n'
    )


@pytest.mark.parametrize("mode", [0o644, 0o600, 0o664])
def test_the_file_s_mode_is_kept(tmp_path: Path, mode: int) -> None:
    root = write(tmp_path, "publish:\n  prefix: cv\n")
    (root / "cvgen.yaml").chmod(mode)
    assert write_settings(root, {"publish": {"bucket": "b"}}).written == ["publish.bucket"]
    assert (root / "cvgen.yaml").stat().st_mode & 0o777 == mode


@pytest.mark.parametrize(
    ("line", "written"),
    [
        ("  bucket:\n", '  bucket: "b"\n'),
        ("  bucket:   # filled by deploy\n", '  bucket: "b"   # filled by deploy\n'),
        ("  bucket: ~\n", '  bucket: "b"\n'),
        ("  bucket: null\n", '  bucket: "b"\n'),
    ],
)
def test_a_key_with_an_empty_value_is_filled_in(tmp_path: Path, line: str, written: str) -> None:
    root = write(tmp_path, f"publish:\n{line}  prefix: cv\n")
    result = write_settings(root, {"publish": {"bucket": "b"}})
    assert result.to_paste == {} and result.written == ["publish.bucket"]
    assert (root / "cvgen.yaml").read_text(encoding="utf-8") == (
        f"publish:\n{written}  prefix: cv\n"
    )


@pytest.mark.parametrize("bom", [b"", b"\xef\xbb\xbf"])
@pytest.mark.parametrize("newline", [b"\n", b"\r\n"])
def test_a_bom_and_crlf_line_endings_are_kept(tmp_path: Path, bom: bytes, newline: bytes) -> None:
    lines = [b"# mine", b"publish:", b"  prefix: cv", b"  region: old"]
    (tmp_path / "cvgen.yaml").write_bytes(bom + newline.join(lines) + newline)
    updates = {"publish": {"bucket": "b", "region": "new"}, "infra": {"region": "x"}}
    assert write_settings(tmp_path, updates).to_paste == {}
    expected = [
        b"# mine",
        b"publish:",
        b"  prefix: cv",
        b'  region: "new"',
        b'  bucket: "b"',
        b"",
        b"infra:",
        b'  region: "x"',
    ]
    assert (tmp_path / "cvgen.yaml").read_bytes() == bom + newline.join(expected) + newline
    assert load_config(tmp_path).publish.bucket == "b"


def test_values_are_written_as_yaml_writes_them(tmp_path: Path) -> None:
    root = write(tmp_path, "counter:\n  enabled: true\n")
    assert write_settings(root, {"counter": {"enabled": False, "region": None}}).to_paste == {}
    assert (root / "cvgen.yaml").read_text(encoding="utf-8") == (
        "counter:\n  enabled: false\n  region: null\n"
    )


def test_a_new_section_in_a_file_without_nested_keys_is_indented_by_two(tmp_path: Path) -> None:
    root = write(tmp_path, "theme: default\n")
    assert write_settings(root, {"publish": {"bucket": "b"}}).to_paste == {}
    assert (root / "cvgen.yaml").read_text(encoding="utf-8") == (
        'theme: default\n\npublish:\n  bucket: "b"\n'
    )
