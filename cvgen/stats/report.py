"""`cvgen stats` output: a text table, JSON, or a self-contained HTML page with SVG charts.

Pure: rows in, text out. The HTML page holds its own CSS and SVG and loads nothing (no
script, no font, no image from anywhere), so it opens from disk and can be mailed.
"""

from __future__ import annotations

import datetime
import html
import json
from collections.abc import Sequence

from cvgen.stats.table import DAYS, Row

BARS = "▁▂▃▄▅▆▇█"
COLUMNS = (
    "PAGE", "LANG", "VARIANT", "VIEWS", "VISITORS", "DOWNLOADS", "FIRST VIEW", "LAST VIEW",
    "STATUS", "SENT", f"LAST {DAYS} DAYS",
)  # fmt: skip


def sparkline(values: Sequence[int]) -> str:
    """`▁▁▃█`: each day's views against the busiest day's (all `▁` when there were none)."""
    top = max(values, default=0)
    if top == 0:
        return BARS[0] * len(values)
    return "".join(BARS[0 if v == 0 else 1 + (v * (len(BARS) - 2)) // top] for v in values)


def row_name(row: Row) -> str:
    place = row.place
    return f"application {place.name}" if place.kind == "application" else place.name


def text_table(rows: Sequence[Row], today: datetime.date) -> str:
    """One line per row, columns aligned; `-` for what a row does not have."""
    lines = [list(COLUMNS)]
    for row in rows:
        place = row.place
        lines.append(
            [
                row_name(row),
                place.language or "-",
                place.variant or "-",
                str(row.views),
                str(row.visitors),
                str(row.downloads),
                row.first or "-",
                row.last or "-",
                place.status or "-",
                place.sent or "-",
                sparkline(row.series(today)),
            ]
        )
    widths = [max(len(line[i]) for line in lines) for i in range(len(COLUMNS))]
    numeric = {3, 4, 5}
    out = []
    for line in lines:
        cells = [
            cell.rjust(widths[i]) if i in numeric else cell.ljust(widths[i])
            for i, cell in enumerate(line)
        ]
        out.append("  ".join(cells).rstrip())
    return "\n".join(out) + "\n"


def json_report(rows: Sequence[Row], today: datetime.date) -> str:
    data = {"today": today.isoformat(), "days": DAYS, "rows": [r.as_json(today) for r in rows]}
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def svg_bars(values: Sequence[int], width: int, height: int, label: str) -> str:
    """A bar chart of `values` as inline SVG, with a text alternative."""
    top = max(values, default=0) or 1
    step = width / max(len(values), 1)
    bars = []
    for i, value in enumerate(values):
        h = 0 if value == 0 else max(1.0, value / top * (height - 2))
        bars.append(
            f'<rect x="{i * step:.1f}" y="{height - h:.1f}" width="{max(step - 1, 1):.1f}" '
            f'height="{h:.1f}"><title>{value}</title></rect>'
        )
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-label="{html.escape(label)}">'
        + "".join(bars)
        + f'<line x1="0" y1="{height - 0.5}" x2="{width}" y2="{height - 0.5}" class="axis"/>'
        "</svg>"
    )


_CSS = """
body { font: 15px/1.5 system-ui, sans-serif; margin: 2rem; color: #18202b; background: #fff; }
h1 { font-size: 1.4rem; margin: 0 0 0.3rem; }
p.note { color: #4e5968; margin: 0 0 1.5rem; }
table { border-collapse: collapse; width: 100%; }
th, td { padding: 0.35rem 0.6rem; border-bottom: 1px solid #dde2e8; text-align: left;
  white-space: nowrap; }
th { font-size: 0.8rem; text-transform: uppercase; letter-spacing: 0.04em; color: #4e5968; }
td.n { text-align: right; font-variant-numeric: tabular-nums; }
tr.application td:first-child { font-weight: 600; }
svg rect { fill: #0b57a4; }
svg .axis { stroke: #c9d1db; stroke-width: 1; }
figure { margin: 0 0 2rem; }
figcaption { color: #4e5968; font-size: 0.85rem; }
""".strip()


def html_report(rows: Sequence[Row], today: datetime.date, title: str) -> str:
    """A self-contained page: every day's views over the last days, then a table with one
    sparkline per row."""
    total = [sum(day) for day in zip(*(row.series(today) for row in rows), strict=True)] or [
        0
    ] * DAYS
    start = (today - datetime.timedelta(days=DAYS - 1)).isoformat()
    body = [
        f"<h1>{html.escape(title)}</h1>",
        f'<p class="note">Views, visitors and downloads per page; the charts show views per '
        f"day (UTC) from {start} to {today.isoformat()}.</p>",
        "<figure>",
        svg_bars(total, 720, 120, f"views per day, all pages, from {start} to {today}"),
        f"<figcaption>All pages: {sum(total)} views in the last {DAYS} days.</figcaption>",
        "</figure>",
        "<table>",
        "<thead><tr>" + "".join(f"<th>{html.escape(c)}</th>" for c in COLUMNS) + "</tr></thead>",
        "<tbody>",
    ]
    for row in rows:
        place = row.place
        cells = [
            html.escape(row_name(row)),
            html.escape(place.language or "–"),
            html.escape(place.variant or "–"),
        ]
        numbers = [str(row.views), str(row.visitors), str(row.downloads)]
        rest = [row.first or "–", row.last or "–", place.status or "–", place.sent or "–"]
        chart = svg_bars(row.series(today), 150, 24, f"views per day of {row_name(row)}")
        body.append(
            f'<tr class="{place.kind}">'
            + "".join(f"<td>{c}</td>" for c in cells)
            + "".join(f'<td class="n">{n}</td>' for n in numbers)
            + "".join(f"<td>{html.escape(c)}</td>" for c in rest)
            + f"<td>{chart}</td></tr>"
        )
    body += ["</tbody>", "</table>"]
    return (
        '<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<meta name="robots" content="noindex">\n'
        f"<title>{html.escape(title)}</title>\n<style>\n{_CSS}\n</style>\n</head>\n<body>\n"
        + "\n".join(body)
        + "\n</body>\n</html>\n"
    )
