"""`cvgen stats`: rows per page, variant, language and application from the counter's
items, as a table, JSON and a self-contained HTML page; read from the local SQLite
counter and from DynamoDB (moto)."""

from __future__ import annotations

import datetime
import json
import re
import shutil
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from counter_lambda.store import counter_key, day_key
from cvgen.cli import cli
from cvgen.counter.local import LocalCounter
from cvgen.serve.preview import COUNTER_DB
from cvgen.stats.report import sparkline
from cvgen.stats.table import Place, stats_rows

SITE = Path(__file__).parent.parent / "applications" / "site"
ACME = "/a/acme-3f0c9a1b2d4e5f60718293a4b5c6d7e8/"
GLOBEX = "/a/globex-9e8d7c6b5a4938271605f4e3d2c1b0a9/"
TODAY = datetime.datetime.now(datetime.UTC).date()
UA = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/126 Safari/537.36"


def test_rows_gather_a_folder_and_keep_unknown_pages_apart() -> None:
    places = [Place("/", "main", "page", "en"), Place(ACME, "acme", "application", "en")]
    counts = {
        counter_key("views", ACME, 0): 3,
        counter_key("views", ACME, 1): 2,
        counter_key("views", ACME + "letter.html", 0): 1,
        counter_key("downloads", ACME, 0): 1,
        day_key("views", ACME, "2026-12-01"): 2,
        day_key("views", ACME + "letter.html", "2026-12-03"): 1,
        day_key("views", ACME, "2026-12-05"): 3,
        counter_key("views", "/old/", 0): 4,
        "visitor#abcdef": 1,
        counter_key("smoke", "/", 0): 9,
    }
    main, acme, old = stats_rows(counts, places)
    assert (acme.views, acme.downloads, acme.first, acme.last) == (6, 1, "2026-12-01", "2026-12-05")
    assert main.views == 0 and main.first is None  # smoke checks are no views
    assert (old.place.name, old.views) == ("/old/", 4)
    series = acme.series(datetime.date(2026, 12, 5), days=5)
    assert series == [2, 0, 1, 0, 3]
    assert sparkline(series) == "▆▁▄▁█"


@pytest.fixture
def site(tmp_path: Path) -> Path:
    root = tmp_path / "site"
    shutil.copytree(SITE, root)
    return root


def count(counter: LocalCounter, page: str, kind: str = "view", ip: str = "192.0.2.1") -> None:
    body = json.dumps({"page": page, "kind": kind}).encode()
    status, _, _ = counter.handle("POST", "/api/views", "", {"user-agent": UA}, body, ip)
    assert status == 200


def test_stats_local_table_json_and_html(site: Path, tmp_path: Path) -> None:
    counter = LocalCounter(site / ".cvgen" / COUNTER_DB)
    for ip in ("192.0.2.1", "192.0.2.2", "192.0.2.2"):
        count(counter, ACME, ip=ip)
    count(counter, ACME + "letter.html")
    count(counter, ACME, "download")
    count(counter, "/de/")
    counter.close()
    runner = CliRunner()
    table = runner.invoke(cli, ["stats", "--local", "--root", str(site)])
    assert table.exit_code == 0, table.output
    lines = table.output.splitlines()
    assert lines[0].split()[:3] == ["PAGE", "LANG", "VARIANT"]
    acme = next(line for line in lines if line.startswith("application acme"))
    assert acme.split()[2:11] == [
        "en", "backend", "4", "2", "1", TODAY.isoformat(), TODAY.isoformat(), "applied",
        "2026-12-07",
    ]  # fmt: skip
    assert acme.endswith("▁" * 29 + "█")
    globex = next(line for line in lines if line.startswith("application globex"))
    assert globex.split()[2:6] == ["de", "frontend", "0", "0"]
    assert next(line for line in lines if line.startswith("de ")).split()[3] == "1"
    assert "SECRET-NOTE" not in table.output
    data = json.loads(
        runner.invoke(cli, ["stats", "--local", "--json", "--root", str(site)]).output
    )
    rows = {row["name"]: row for row in data["rows"]}
    assert rows["acme"]["views"] == 4 and rows["acme"]["downloads"] == 1
    assert rows["acme"]["last_30_days"][-1] == 4 and rows["acme"]["status"] == "applied"
    assert rows["de/backend"]["variant"] == "backend" and rows["de/backend"]["views"] == 0
    page = tmp_path / "stats.html"
    runner.invoke(cli, ["stats", "--local", "--html", str(page), "--root", str(site)])
    html = page.read_text(encoding="utf-8")
    assert html.count("<svg") == 1 + len(data["rows"])
    assert "<script" not in html and not re.search(r"(src|href)=\"https?:", html)


def test_stats_without_a_local_counter_is_a_clear_error(site: Path) -> None:
    result = CliRunner().invoke(cli, ["stats", "--local", "--root", str(site)])
    assert result.exit_code == 1
    assert "no local counter yet" in result.output and "Traceback" not in result.output


@pytest.mark.aws
def test_stats_reads_the_counter_table(site: Path, aws_env: Any) -> None:
    from counter_lambda.dynamo_store import DynamoStore
    from counter_lambda.handler import make_handler
    from counter_lambda.settings import Settings
    from tests.counter_lambda.conftest import body_of, create_table, dynamo_client, v2_event

    dynamo = dynamo_client(aws_env.endpoint)
    table = create_table(dynamo)
    handler = make_handler(
        Settings(allowed_pages=frozenset({"/", "/a/*"})), DynamoStore(dynamo, table)
    )
    for page, kind in ((ACME, "view"), (ACME, "view"), (GLOBEX, "download"), ("/", "view")):
        assert body_of(handler(v2_event(body={"page": page, "kind": kind}), None))["counted"]
    result = CliRunner().invoke(
        cli,
        ["stats", "--json", "--table", table, "--region", "us-east-1",
         "--endpoint-url", aws_env.endpoint, "--root", str(site)],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    rows = {row["name"]: row for row in json.loads(result.output)["rows"]}
    assert (rows["acme"]["views"], rows["acme"]["visitors"]) == (2, 1)
    assert (rows["globex"]["views"], rows["globex"]["downloads"]) == (0, 1)
    assert rows["main"]["views"] == 1
    missing = CliRunner().invoke(
        cli,
        ["stats", "--table", "nope", "--region", "us-east-1",
         "--endpoint-url", aws_env.endpoint, "--root", str(site)],
    )  # fmt: skip
    assert missing.exit_code == 1 and "Traceback" not in missing.output
