"""The counter Lambda zip: same code, same bytes; any change, new bytes and a new key."""

from __future__ import annotations

import io
import os
import shutil
import zipfile
from pathlib import Path

import pytest

from cvgen.errors import CvgenError
from cvgen.infra.package import build_package
from cvgen.resources import counter_lambda_dir


@pytest.fixture
def source(tmp_path: Path) -> Path:
    copy = tmp_path / "counter_lambda"
    shutil.copytree(counter_lambda_dir(), copy, ignore=shutil.ignore_patterns("__pycache__"))
    return copy


def test_two_builds_are_byte_identical(source: Path) -> None:
    first = build_package(source)
    os.utime(source / "handler.py", (1_900_000_000, 1_900_000_000))  # mtimes do not matter
    (source / "__pycache__").mkdir()
    (source / "__pycache__" / "handler.cpython-312.pyc").write_bytes(b"junk")
    (source / "core.pyc").write_bytes(b"junk")
    second = build_package(source)
    assert first.data == second.data
    assert first.sha256 == second.sha256 and first.key == second.key
    assert first.key == f"counter-lambda/{first.sha256}.zip"


def test_the_real_package_builds_the_same_twice() -> None:
    assert build_package(counter_lambda_dir()).data == build_package(counter_lambda_dir()).data


def test_entries_are_sorted_with_fixed_time_and_mode(source: Path) -> None:
    (source / "__pycache__").mkdir(exist_ok=True)
    (source / "__pycache__" / "x.pyc").write_bytes(b"junk")
    archive = zipfile.ZipFile(io.BytesIO(build_package(source).data))
    names = archive.namelist()
    assert names == sorted(names)
    assert "counter_lambda/handler.py" in names and "counter_lambda/__init__.py" in names
    assert all(name.startswith("counter_lambda/") for name in names)
    assert not [n for n in names if "__pycache__" in n or n.endswith(".pyc")]
    for info in archive.infolist():
        assert info.date_time == (1980, 1, 1, 0, 0, 0)
        assert info.external_attr >> 16 == 0o100644
    assert archive.read("counter_lambda/handler.py") == (source / "handler.py").read_bytes()


def test_a_changed_file_changes_the_bytes_and_the_key(source: Path) -> None:
    before = build_package(source)
    with (source / "core.py").open("a", encoding="utf-8") as handle:
        handle.write("\n# changed\n")
    after = build_package(source)
    assert after.data != before.data and after.key != before.key


def test_a_folder_without_handler_is_refused(tmp_path: Path) -> None:
    with pytest.raises(CvgenError, match="no handler.py"):
        build_package(tmp_path)
