"""The CV as data for the PDF template: spans, blocks, sections in the page's order (pure)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from cvgen.content.model import CV, CustomSection, Entry
from cvgen.render.entries import contact_items, entry_sections
from cvgen.render.labels import labels_for
from cvgen.render.pdfdata import language_parts, pdf_data
from cvgen.render.richtext import html_blocks, inline_spans, markdown_blocks
from cvgen.render.sections import section_blocks
from cvgen.render.shown import show
from cvgen.render.theme import load_theme
from cvgen.settings.config import Config, PdfConfig, SiteConfig, paper_for
from tests.conftest import REPO
from tests.render.conftest import full_cv, make_config, make_cv


def pdf_document(cv: CV, config: Config) -> dict[str, Any]:
    """The PDF's data for `cv`, shown with the configured theme's words."""
    return pdf_data(show(cv, config, load_theme(config)), config)


def texts(spans: list[dict[str, Any]]) -> str:
    return "".join(s.get("text", "\n") for s in spans)


def test_inline_markdown_becomes_styled_spans() -> None:
    spans = inline_spans("Led **EKS** with *Argo* `kubectl` and [a handbook](https://h.example/)")
    assert spans == [
        {"text": "Led "},
        {"strong": True, "text": "EKS"},
        {"text": " with "},
        {"emph": True, "text": "Argo"},
        {"text": " "},
        {"code": True, "text": "kubectl"},
        {"text": " and "},
        {"url": "https://h.example/", "text": "a handbook"},
    ]


@pytest.mark.parametrize(
    "text",
    [
        '#set page(width: 1cm) [x] $y$ @z <w> a * b \\u{41} #import "x.typ"',
        '") #panic("no") #("',
        "<script>alert(1)</script> & 5 < 6",
    ],
)
def test_typst_and_html_syntax_is_plain_text_in_spans(text: str) -> None:
    spans = inline_spans(text)
    assert all(set(span) == {"text"} for span in spans)
    assert texts(spans) == text


def test_unsafe_links_lose_their_target_and_keep_their_text() -> None:
    assert inline_spans("[click](javascript:alert(1))") == [{"text": "click"}]


def test_empty_values_give_no_spans() -> None:
    assert inline_spans(None) == [] and inline_spans("") == [] and markdown_blocks(None) == []


def test_markdown_blocks_keep_structure_and_every_word() -> None:
    blocks = markdown_blocks("Hello *there*.\n\n- one\n- two **b**\n\n> said\n\n---\n\n### More\n")
    assert [b["kind"] for b in blocks] == ["paragraph", "list", "quote", "rule", "heading"]
    assert blocks[1] == {
        "kind": "list",
        "ordered": False,
        "items": [
            [{"kind": "paragraph", "spans": [{"text": "one"}]}],
            [{"kind": "paragraph", "spans": [{"text": "two "}, {"strong": True, "text": "b"}]}],
        ],
    }
    assert blocks[2]["blocks"] == [{"kind": "paragraph", "spans": [{"text": "said"}]}]


def test_unknown_html_keeps_its_text() -> None:
    blocks = html_blocks(
        "<dl><dt>Term</dt><dd>Meaning</dd></dl><table><tr><th>A</th><td>b</td></tr></table>"
    )
    assert blocks[:2] == [
        {"kind": "paragraph", "spans": [{"text": "Term"}]},
        {"kind": "paragraph", "spans": [{"text": "Meaning"}]},
    ]
    assert blocks[2] == {"kind": "table", "rows": [[[{"text": "A"}], [{"text": "b"}]]]}


def test_sections_follow_the_page_in_order_and_entries() -> None:
    cv = full_cv()
    blocks = section_blocks(cv)
    sections = entry_sections(blocks, labels_for("en", load_theme(Config(root=REPO)).translations))
    assert [s["id"] for s in sections] == [b["id"] for b in blocks]
    for section, block in zip(sections, blocks, strict=True):
        if block["kind"] == "resume":
            assert len(section["entries"]) == len(block["items"])
    layouts = {s["key"]: s["layout"] for s in sections}
    assert layouts["about"] == "prose" and layouts["skills"] == "tags"
    assert layouts["languages"] == "pairs" and layouts["references"] == "quotes"
    assert layouts["work"] == "entries"


def test_work_entry_fields_and_dates() -> None:
    doc = pdf_document(make_cv(), make_config(Path("/site")))
    work = next(s for s in doc["sections"] if s["key"] == "work")
    first, second = work["entries"]
    assert texts(first["title"]) == "Lead Programmer"
    assert (
        texts(first["org"]) == "Engines Ltd" and first["org_url"] == "https://engines.example.com/"
    )
    assert first["date"] == "Jan 2020 – Present"
    assert second["date"] == "Mar 2018 – Dec 2019" and second["org_url"] is None
    assert texts(first["highlights"][0]) == "Computed Bernoulli numbers"
    assert set(first) == set(second)  # every key always present


def test_words_follow_the_language() -> None:
    config = Config(root=Path("/site"), site=SiteConfig(language="de-AT"))
    doc = pdf_document(make_cv(), config)
    work = next(s for s in doc["sections"] if s["key"] == "work")
    assert (
        work["title"] == "Berufserfahrung" and work["entries"][0]["date"] == "Jän. 2020 – heute"
    )  # CLDR de-AT
    assert doc["meta"]["lang"] == "de" and doc["meta"]["region"] == "AT"


def test_custom_sections_come_as_the_page_shows_them() -> None:
    talks = CustomSection(
        "talks",
        "Talks",
        entries=(
            Entry(title="Paved roads", subtitle="KubeCon", date="2024-05", summary="On *Argo*."),
            Entry(subtitle="Meetup", url="https://m.example/x/", when="spring 2023"),
        ),
        text="Selected talks.",
    )
    notes = CustomSection("side_notes", "Side notes", items=("One", "**Two**"))
    blocks = [
        {"kind": "custom", "key": "talks", "id": "talks", "section": talks},
        {"kind": "custom", "key": "side_notes", "id": "side-notes", "section": notes},
    ]
    labels = {"months": ["M"] * 12, "present": "Now", "grade": "G"}
    first, second = entry_sections(blocks, labels)
    assert first["title"] == "Talks" and first["layout"] == "entries"
    assert first["blocks"] == [{"kind": "paragraph", "spans": [{"text": "Selected talks."}]}]
    paved, meetup = first["entries"]
    assert texts(paved["title"]) == "Paved roads" and texts(paved["org"]) == "KubeCon"
    assert paved["date"] == "May 2024" and paved["summary"][0]["spans"][1]["emph"]
    assert meetup["title"] == [] and meetup["date"] == "spring 2023"
    assert meetup["org"][-1] == {"text": "m.example/x", "url": "https://m.example/x/"}
    assert second["title"] == "Side notes" and second["layout"] == "list"
    assert second["items"] == [[{"text": "One"}], [{"strong": True, "text": "Two"}]]


def test_contact_items_link_what_can_be_linked() -> None:
    items = contact_items(
        {
            "email": "ada@example.com",
            "phone": "+46 70 123",
            "url": "https://ada.example.com/",
            "location": {"city": "Stockholm", "countryCode": "SE"},
            "profiles": [
                {"network": "GitHub", "username": "ada", "url": "https://github.example.com/ada"},
                {"network": "Mastodon", "url": "javascript:alert(1)"},
            ],
        }
    )
    assert [(i["text"], i["url"]) for i in items] == [
        ("Stockholm, Sweden", None),
        ("ada@example.com", "mailto:ada@example.com"),
        ("+46 70 123", "tel:+4670123"),
        ("ada.example.com", "https://ada.example.com/"),
        ("GitHub: ada", "https://github.example.com/ada"),
        ("javascript:alert(1)", None),
    ]


@pytest.mark.parametrize(
    ("language", "paper", "expected"),
    [
        ("en", None, "a4"),
        ("en (US)", None, "letter"),
        ("fr (CA)", None, "letter"),
        ("en-GB (US)", None, "a4"),  # the language's own region first
        ("sv", None, "a4"),
        ("en-US", None, "letter"),
        ("fr-CA", None, "letter"),
        ("en_us", None, "letter"),
        ("en-GB", None, "a4"),
        ("es-419", None, "a4"),
        ("en-US", "a4", "a4"),
        ("de", "letter", "letter"),
    ],
)
def test_paper_follows_the_country(language: str, paper: str | None, expected: str) -> None:
    """`language (XX)`: the CV's `basics.location.countryCode` is XX."""
    tag, _, country = language.partition(" (")
    assert paper_for(PdfConfig(paper=paper), tag, country.rstrip(")") or None) == expected


@pytest.mark.parametrize(
    ("tag", "expected"),
    [
        ("en", ("en", None)),
        ("pt-BR", ("pt", "BR")),
        ("zh-Hant-TW", ("zh", "TW")),
        ("x", (None, None)),
    ],
)
def test_language_parts(tag: str, expected: tuple[str | None, str | None]) -> None:
    assert language_parts(tag) == expected


def test_metadata_comes_from_the_cv() -> None:
    meta = pdf_document(full_cv(), make_config(Path("/site")))["meta"]
    assert meta["title"] == "Ada Lovelace – Analytical Engineer"
    assert meta["author"] == "Ada Lovelace"
    assert meta["subject"].startswith("Analytical Engineer.")
    assert meta["keywords"] == ["Cloud"] and meta["paper"] == "a4"
    in_chicago = make_cv(basics__location={"city": "Chicago", "countryCode": "US"})
    assert pdf_document(in_chicago, make_config(Path("/site")))["meta"]["paper"] == "us-letter"
