"""Fitting the PDF into its page budget: which tightening step to typeset at (pure).

A theme's template declares, for each measure it sets (font size, leading, the space
between entries and sections, margins), its own value and the tightest it accepts; the
build asks for a level between them (`fit`: 0 is the theme as designed, 1 its tightest;
see `fitted` in cvgen.typ). Tightening only ever makes the text smaller and closer, so the
page count falls as the level rises, and the least level that fits is found by bisection
over `STEPS`, each a Typst run:

- with a budget (`pdf.pages: N`): the theme's own setting when it fits; else the tightest,
  and if even that spills, it is kept (the fewest pages) and `overflow` is set, so the
  build warns; else the least step between that fits;
- without one: a last page holding only a few lines (`WIDOW_LINES`) is pulled back onto the
  page before when one of the small steps (`SMALL_STEPS`) does it; otherwise the theme's
  own setting stays.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from cvgen.check.pdfread import PageFill
from cvgen.check.text import plain, squashed

STEPS = (0.0, 0.2, 0.4, 0.6, 0.8, 1.0)
SMALL_STEPS = STEPS[:3]  # without a budget, the most a stray last page may tighten
WIDOW_LINES = 8  # a last page with at most this many lines of text is a stray one

T = TypeVar("T")


@dataclass(frozen=True)
class Fitted(Generic[T]):
    result: T  # the typeset document chosen
    level: float  # the step it was typeset at
    pages: int
    budget: int | None  # the pages asked for (without `pdf.pages`: the stray page's target)
    overflow: bool = False  # even the tightest step spills over `budget`
    runs: int = 1  # Typst runs it took


def fit(
    typeset: Callable[[float], T],
    measure: Callable[[T], PageFill],
    budget: int | None,
    steps: Sequence[float] = STEPS,
) -> Fitted[T]:
    """The least tightening step whose typesetting fits `budget` pages (see the module doc).
    `typeset(level)` makes a PDF; `measure` reads how far its text reaches."""
    runs = 0
    memo: dict[float, tuple[T, PageFill]] = {}

    def at(level: float) -> tuple[T, PageFill]:
        nonlocal runs
        if level not in memo:
            runs += 1
            result = typeset(level)
            memo[level] = (result, measure(result))
        return memo[level]

    own, layout = at(steps[0])
    if budget is None:
        if layout.pages < 2 or layout.last_lines > WIDOW_LINES:
            return Fitted(own, steps[0], layout.pages, None, runs=runs)
        target = layout.pages - 1
        candidates = [s for s in steps if s <= SMALL_STEPS[-1]]
    else:
        if layout.pages <= budget:
            return Fitted(own, steps[0], layout.pages, budget, runs=runs)
        target = budget
        candidates = list(steps)
    tightest, tight_layout = at(candidates[-1])
    if tight_layout.pages > target:
        if budget is None:  # no small tightening pulls the stray page back: keep the design
            return Fitted(own, steps[0], layout.pages, None, runs=runs)
        return Fitted(
            tightest, candidates[-1], tight_layout.pages, budget, overflow=True, runs=runs
        )
    # candidates[low] spills, candidates[high] fits. The text's height falls about linearly
    # with the level: the first probe is where the line between the two ends meets the
    # budget, the second its neighbour towards the boundary (usually the answer), then
    # bisection.
    low, high = 0, len(candidates) - 1
    spill, tight = _height(layout), _height(tight_layout)
    share = (spill - target) / (spill - tight) if spill > tight else 1.0
    guess = share * candidates[-1] - 0.02  # a hair under: a step the line just meets
    probe = next((i for i, s in enumerate(candidates) if s >= guess), high)
    probes = 0
    while high - low > 1:
        probe = min(max(probe, low + 1), high - 1) if probes < 2 else (low + high) // 2
        probes += 1
        if at(candidates[probe])[1].pages <= target:
            high = probe
            probe -= 1
        else:
            low = probe
            probe += 1
    chosen, chosen_layout = at(candidates[high])
    return Fitted(chosen, candidates[high], chosen_layout.pages, budget, runs=runs)


def _height(layout: PageFill) -> float:
    """How many pages the text fills: 1.25 is a whole page and a quarter of the next."""
    return layout.pages - 1 + layout.last_fill


@dataclass(frozen=True)
class Overrun:
    """A section reaching past the page budget, and its entries there."""

    section: str
    entries: tuple[str, ...]  # entries starting past the budget, in order
    split: str | None = None  # the entry running from the last page allowed onto the next


def overruns(
    sections: Sequence[Mapping[str, Any]], page_texts: Sequence[str], budget: int
) -> list[Overrun]:
    """The sections (of the PDF data, `pdfdata`) whose text reaches past page `budget` of the
    typeset PDF whose pages read `page_texts`, found by their titles and their entries'."""
    texts = [squashed(text) for text in page_texts]
    starts, offset = [], 0
    for text in texts:
        starts.append(offset)
        offset += len(text)
    whole = "".join(texts)
    cut = starts[budget] if budget < len(starts) else len(whole)

    cursor = 0

    def where(text: str) -> int | None:
        nonlocal cursor
        needle = squashed(text)
        if not needle:
            return None
        found = whole.find(needle, cursor)
        if found < 0:
            found = whole.find(needle)  # a sidebar is read before or after the main column
            if found < 0:
                return None
        else:
            cursor = found + len(needle)
        return found

    placed: list[tuple[str, int | None, list[tuple[str, int | None]]]] = []
    for section in sections:
        head = where(str(section.get("title", "")))
        titles = [plain(entry.get("title") or []) for entry in section.get("entries") or []]
        placed.append((str(section.get("title", "")), head, [(t, where(t)) for t in titles]))
    found: list[Overrun] = []
    for i, (title, head, entries) in enumerate(placed):
        following = [
            p[1] for p in placed[i + 1 :] if p[1] is not None and head is not None and p[1] > head
        ]
        end = min(following) if following else len(whole)
        if end <= cut and (head is None or head < cut):
            continue
        if head is None and not any(at is not None and at >= cut for _, at in entries):
            continue
        over = tuple(t for t, at in entries if at is not None and at >= cut)
        before = [t for t, at in entries if at is not None and at < cut]
        split = before[-1] if before and end > cut else None
        if over or split or (head is not None and head >= cut):
            found.append(Overrun(title, over, split))
    return found


def overrun_message(found: Sequence[Overrun], budget: int, pages: int) -> str:
    """What runs over, for the warning: `Projects (from the end of “Alpha”: Beta, Gamma)`."""
    parts = []
    for over in found:
        named = [f"the end of “{over.split}”"] if over.split else []
        named += [f"“{title}”" for title in over.entries[:4]]
        if len(over.entries) > 4:
            named.append(f"{len(over.entries) - 4} more")
        parts.append(f"{over.section} ({', '.join(named)})" if named else over.section)
    what = "; ".join(parts) if parts else "the end of the CV"
    return (
        f"the PDF needs {pages} pages even at the theme's tightest setting, not {budget};"
        f" past page {budget}: {what}. Shorten or hide these (`sections.hide`, a variant's"
        " `exclude`) or raise the budget"
    )
