"""cv.docx: the CV as shown, as a Word document recruiters can open, edit and parse.

Real Word structure, so both people and parsers read it: the name in the `Title` style, the
label as `Subtitle`, section titles as `Heading 1`, each entry's title line as `Heading 2`
with its dates at a right-aligned tab stop, highlights as `List Bullet`, links as real
hyperlinks. One column (no tables or text boxes for layout: ATS-safe), Arial (every Word
and LibreOffice has it or a metric twin), the theme's accent colour on the title and the
headings, and document properties (title, author, subject, keywords, language).

Deterministic: the same CV gives the same bytes (fixed document dates, fixed zip entry
times, python-docx's own stable part order), so rebuilding uploads nothing new. Pure apart
from python-docx writing into memory.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

from cvgen.render.entries import Entry
from cvgen.render.richtext import Block, Span
from cvgen.render.shown import ShownCV, ShownSection
from cvgen.render.theme import Theme

if TYPE_CHECKING:
    from docx.document import Document as DocxDocument
    from docx.styles.style import ParagraphStyle
    from docx.text.paragraph import Paragraph

FONT = "Arial"
CODE_FONT = "Courier New"
BODY_PT = 10
DEFAULT_ACCENT = "1F3864"
TEXT_COLOUR = "222222"
MUTED_COLOUR = "555555"
SEPARATOR = " · "
# A fixed moment for the document's dates and the zip entries (no clock: same bytes each build)
FIXED_DATE = datetime(2000, 1, 1)
ZIP_TIME = (1980, 1, 1, 0, 0, 0)
# Page size and margins, in centimetres
PAPERS = {"a4": (21.0, 29.7), "letter": (21.59, 27.94)}
MARGIN_CM = 1.8
_ACCENT = re.compile(r"--accent:\s*#([0-9a-fA-F]{6}|[0-9a-fA-F]{3})\b")
# Where a theme's accent colour is read from: its stylesheet, the light scheme's first value
ACCENT_SOURCES = ("css/theme.css", "css/base.css")


def theme_accent(theme: Theme) -> str:
    """The theme's accent colour as `RRGGBB`: the first `--accent: #...` of its stylesheet
    (a site that overrides only theme.css gets its own colour in Word too)."""
    for name in ACCENT_SOURCES:
        source = theme.templates.get(name)
        found = _ACCENT.search(source[0]) if source else None
        if found:
            colour = found.group(1).upper()
            return "".join(c * 2 for c in colour) if len(colour) == 3 else colour
    return DEFAULT_ACCENT


def _set_font(style: Any, name: str) -> None:
    """`name` for every script of `style`, replacing the template's theme fonts (which Word
    would otherwise prefer over the named one)."""
    from docx.oxml.ns import qn

    style.font.name = name
    fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
    for script in ("ascii", "hAnsi", "cs", "eastAsia"):
        fonts.set(qn(f"w:{script}"), name)
        fonts.attrib.pop(qn(f"w:{script}Theme"), None)


def _set_language(style: Any, language: str) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    rpr = style.element.get_or_add_rPr()
    for old in rpr.findall(qn("w:lang")):
        rpr.remove(old)
    lang = OxmlElement("w:lang")
    lang.set(qn("w:val"), language)
    rpr.append(lang)


class _Writer:
    """Appends the CV as shown to a python-docx Document."""

    def __init__(self, doc: DocxDocument, accent: str, tab_at: Any) -> None:
        self.doc = doc
        self.accent = accent
        self.tab_at = tab_at

    def runs(self, paragraph: Paragraph, spans: Sequence[Span], **style: Any) -> None:
        for span in spans:
            if span.get("break"):
                paragraph.add_run().add_break()
            elif span.get("url"):
                self.link(paragraph, str(span.get("text", "")), str(span["url"]), span, style)
            else:
                self.run(paragraph, str(span.get("text", "")), {**span, **style})

    def run(self, paragraph: Paragraph, text: str, style: Mapping[str, Any]) -> None:
        from docx.shared import RGBColor

        run = paragraph.add_run(text)
        run.bold = bool(style.get("strong")) or None
        run.italic = bool(style.get("emph")) or None
        if style.get("code"):
            run.font.name = CODE_FONT
        if style.get("muted"):
            run.font.color.rgb = RGBColor.from_string(MUTED_COLOUR)

    def link(
        self,
        paragraph: Paragraph,
        text: str,
        url: str,
        span: Mapping[str, Any],
        style: Mapping[str, Any],
    ) -> None:
        """A real hyperlink (`w:hyperlink` to an external relationship), in the accent colour."""
        from docx.opc.constants import RELATIONSHIP_TYPE
        from docx.oxml import OxmlElement
        from docx.oxml.ns import qn

        rel = paragraph.part.relate_to(url, RELATIONSHIP_TYPE.HYPERLINK, is_external=True)
        link = OxmlElement("w:hyperlink")
        link.set(qn("r:id"), rel)
        run = OxmlElement("w:r")
        props = OxmlElement("w:rPr")
        flags = {**span, **style}
        for flag, tag in (("strong", "w:b"), ("emph", "w:i")):
            if flags.get(flag):
                props.append(OxmlElement(tag))
        colour = OxmlElement("w:color")
        colour.set(qn("w:val"), self.accent)
        props.append(colour)
        underline = OxmlElement("w:u")
        underline.set(qn("w:val"), "single")
        props.append(underline)
        run.append(props)
        body = OxmlElement("w:t")
        body.text = text
        body.set(qn("xml:space"), "preserve")
        run.append(body)
        link.append(run)
        paragraph._p.append(link)

    def paragraph(self, spans: Sequence[Span], style: str | None = None, **flags: Any) -> Paragraph:
        paragraph = self.doc.add_paragraph(style=style)
        self.runs(paragraph, spans, **flags)
        return paragraph

    def blocks(self, blocks: Sequence[Block], depth: int = 0) -> None:
        from docx.shared import Cm

        for block in blocks:
            kind = block["kind"]
            if kind == "paragraph":
                paragraph = self.paragraph(block["spans"])
                if depth:
                    paragraph.paragraph_format.left_indent = Cm(0.63 * depth)
            elif kind == "heading":
                self.paragraph(block["spans"], "Heading 3")
            elif kind == "list":
                self.list(block, depth)
            elif kind == "code":
                for line in block["text"].split("\n"):
                    self.paragraph([{"text": line, "code": True}])
            elif kind == "quote":
                self.blocks(block["blocks"], depth + 1)
            elif kind == "table":
                self.table(block["rows"])

    def list(self, block: Block, depth: int) -> None:
        name = "List Number" if block["ordered"] else "List Bullet"
        style = name if depth == 0 else f"{name} {min(depth + 1, 3)}"
        for item in block["items"]:
            first, *rest = item or [{"kind": "paragraph", "spans": []}]
            if first["kind"] in ("paragraph", "heading"):
                self.paragraph(first["spans"], style)
            else:
                self.paragraph([], style)
                rest = [first, *rest]
            self.blocks(rest, depth + 1)

    def table(self, rows: Sequence[Sequence[Sequence[Span]]]) -> None:
        width = max((len(row) for row in rows), default=0)
        if not width:
            return
        table = self.doc.add_table(rows=len(rows), cols=width)
        table.style = "Table Grid"
        for cells, row in zip(table.rows, rows, strict=True):
            for cell, spans in zip(cells.cells, row, strict=False):
                self.runs(cell.paragraphs[0], spans)

    def entry(self, entry: Entry) -> None:
        from docx.enum.text import WD_TAB_ALIGNMENT

        head = self.doc.add_paragraph(style="Heading 2")
        head.paragraph_format.tab_stops.add_tab_stop(self.tab_at, WD_TAB_ALIGNMENT.RIGHT)
        title = entry["title"]
        if entry["url"] and title:
            text = "".join(str(s.get("text", "")) for s in title)
            self.link(head, text, str(entry["url"]), {}, {})
        else:
            self.runs(head, title)
        if entry["date"]:
            head.add_run("\t" + str(entry["date"])).bold = False
        under: list[Span] = []
        if entry["org"]:
            org = entry["org"]
            if entry["org_url"]:
                text = "".join(str(s.get("text", "")) for s in org)
                org = [{"text": text, "url": entry["org_url"]}]
            under += org
        if entry["location"]:
            under += ([{"text": SEPARATOR}] if under else []) + entry["location"]
        if entry["url"] and not title:
            under += [{"text": str(entry["url"]), "url": entry["url"]}]
        if under:
            self.paragraph(under, emph=True)
        if entry["note"]:
            self.paragraph(entry["note"])
        self.blocks(entry["summary"])
        for item in entry["highlights"]:
            self.paragraph(item, "List Bullet")
        if entry["tags"]:
            self.paragraph(_joined(entry["tags"]), muted=True)

    def pair(self, entry: Entry) -> None:
        """A skill or a language on one line: **Name** (level): keyword, keyword."""
        paragraph = self.doc.add_paragraph()
        self.runs(paragraph, entry["title"], strong=True)
        if entry["note"]:
            self.runs(paragraph, [{"text": " ("}, *entry["note"], {"text": ")"}])
        if entry["tags"]:
            self.runs(paragraph, [{"text": ": "}, *_joined(entry["tags"])])

    def section(self, section: ShownSection) -> None:
        self.doc.add_paragraph(section.title, style="Heading 1")
        self.blocks(section.blocks)
        for entry in section.entries:
            if section.layout in ("tags", "pairs"):
                self.pair(entry)
            elif section.layout == "quotes":
                self.blocks(entry["summary"], 1)
                self.paragraph([{"text": "— "}, *entry["title"]], emph=True)
            else:
                self.entry(entry)
        for item in section.items:
            self.paragraph(item, "List Bullet")


def _joined(items: Sequence[Sequence[Span]]) -> list[Span]:
    out: list[Span] = []
    for n, item in enumerate(items):
        out += ([{"text": ", "}] if n else []) + list(item)
    return out


def _styles(doc: DocxDocument, accent: str, language: str) -> None:
    from docx.shared import Pt, RGBColor

    styles = doc.styles
    normal: ParagraphStyle = styles["Normal"]
    _set_font(normal, FONT)
    _set_language(normal, language)
    normal.font.size = Pt(BODY_PT)
    normal.font.color.rgb = RGBColor.from_string(TEXT_COLOUR)
    normal.paragraph_format.space_after = Pt(3)
    sizes = {"Title": 24, "Subtitle": 13, "Heading 1": 12, "Heading 2": 10, "Heading 3": 10}
    for name, size in sizes.items():
        style: ParagraphStyle = styles[name]
        _set_font(style, FONT)
        style.font.size = Pt(size)
        style.font.italic = False
        colour = TEXT_COLOUR if name in ("Heading 2", "Heading 3") else accent
        style.font.color.rgb = RGBColor.from_string(colour)
        style.paragraph_format.space_before = Pt(10 if name == "Heading 1" else 5)
        style.paragraph_format.space_after = Pt(2 if name != "Title" else 0)
    for name in ("List Bullet", "List Bullet 2", "List Bullet 3", "List Number"):
        _set_font(styles[name], FONT)
        styles[name].paragraph_format.space_after = Pt(1)


def _properties(doc: DocxDocument, shown: ShownCV) -> None:
    props = doc.core_properties
    props.title = shown.title
    props.author = shown.author
    props.subject = shown.description
    props.keywords = ", ".join(shown.keywords)
    props.language = shown.language
    props.last_modified_by = shown.author or "cvgen"
    props.comments = ""
    props.category = ""
    props.revision = 1
    props.created = FIXED_DATE
    props.modified = FIXED_DATE
    props.last_printed = FIXED_DATE


def _fixed_zip(data: bytes) -> bytes:
    """The same zip with every entry's time fixed (python-docx stamps the clock's)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=ZIP_TIME)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            target.writestr(fixed, source.read(info))
    return out.getvalue()


def render_word(shown: ShownCV, theme: Theme, paper: str) -> bytes:
    """cv.docx (see the module docstring); `paper`: `a4` or `letter`."""
    import docx
    from docx.shared import Cm

    accent = theme_accent(theme)
    doc = docx.Document()
    section = doc.sections[0]
    width, height = PAPERS[paper]
    section.page_width, section.page_height = Cm(width), Cm(height)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(MARGIN_CM))
    _styles(doc, accent, shown.language)
    _properties(doc, shown)
    writer = _Writer(doc, accent, Cm(width - 2 * MARGIN_CM))
    writer.paragraph(shown.name, "Title")
    if shown.label:
        writer.paragraph(shown.label, "Subtitle")
    contact: list[Span] = []
    for item in shown.contact:
        contact += [{"text": SEPARATOR}] if contact else []
        contact.append({"text": item["text"], **({"url": item["url"]} if item["url"] else {})})
    if contact:
        writer.paragraph(contact)
    writer.blocks(shown.summary)
    for shown_section in shown.sections:
        writer.section(shown_section)
    out = io.BytesIO()
    doc.save(out)
    return _fixed_zip(out.getvalue())
