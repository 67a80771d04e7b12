"""Every text of the CV as shown, for the "nothing lost" tests of each output."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from cvgen.render.shown import ShownCV


def _spans(spans: Sequence[dict[str, Any]]) -> str:
    return " ".join("".join(str(s.get("text", " ")) for s in spans).split())


def _blocks(blocks: Sequence[dict[str, Any]]) -> Iterator[str]:
    for block in blocks:
        if "spans" in block:
            yield _spans(block["spans"])
        elif block["kind"] == "list":
            for item in block["items"]:
                yield from _blocks(item)
        elif block["kind"] == "quote":
            yield from _blocks(block["blocks"])
        elif block["kind"] == "code":
            yield from block["text"].split()
        elif block["kind"] == "table":
            yield from (_spans(cell) for row in block["rows"] for cell in row)


def model_texts(shown: ShownCV) -> list[str]:
    """The texts a reader sees, each span run whitespace-normalised, empty ones left out."""
    found = [_spans(shown.name), _spans(shown.label), *_blocks(shown.summary)]
    found += [item["text"] for item in shown.contact]
    for section in shown.sections:
        found += [section.title, *_blocks(section.blocks), *map(_spans, section.items)]
        for entry in section.entries:
            found += [_spans(entry[k]) for k in ("title", "org", "location", "note")]
            found += [str(entry["date"]), *_blocks(entry["summary"])]
            found += [_spans(item) for item in entry["highlights"] + entry["tags"]]
    return [text for text in found if text]
