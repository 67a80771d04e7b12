""" "Did you mean": the one rule for which known name a mistyped one is a near miss of.

Near means: the same once case, `_`, `-` and spaces are ignored, or one or two edits off (one
for short names; an edit inserts, deletes or replaces a letter, or swaps two neighbours). So
`strat_date` is taken for `startDate`, but `internships` is not taken for `interests`. Every
message that suggests a name (cvgen.yaml settings, CV fields, themes, translated files, tags)
asks here. Pure.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping


def fold(name: str) -> str:
    """`start_Date` -> `startdate`: what is left when case and separators do not count."""
    return name.replace("_", "").replace("-", "").replace(" ", "").lower()


def edit_distance(a: str, b: str) -> int:
    """Edits (insert, delete, replace, swap two neighbours) turning `a` into `b`."""
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, char_a in enumerate(a, 1):
        current = [i]
        for j, char_b in enumerate(b, 1):
            cost = 0 if char_a == char_b else 1
            best = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and char_a == b[j - 2] and a[i - 2] == char_b:
                best = min(best, previous2[j - 2] + 1)
            current.append(best)
        previous2, previous = previous, current
    return previous[-1]


def closest(name: str, candidates: Iterable[str] | Mapping[str, str]) -> str | None:
    """The candidate `name` is a near miss of, else None. `candidates` may map names to what
    they stand for (an old field name to its new one): the match's target is returned."""
    targets = candidates if isinstance(candidates, Mapping) else {c: c for c in candidates}
    folded = fold(name)
    best: tuple[int, str] | None = None
    for candidate, target in targets.items():
        other = fold(candidate)
        if other == folded:
            return target
        limit = 1 if min(len(other), len(folded)) <= 5 else 2
        distance = edit_distance(folded, other)
        if distance <= limit and (best is None or distance < best[0]):
            best = (distance, target)
    return best[1] if best else None


def did_you_mean(name: str, candidates: Iterable[str]) -> str:
    """'; did you mean `x`?' when `name` is a near miss of a candidate, else '; expected one
    of: ...' listing them ('' when there are none)."""
    options = sorted(set(candidates))
    match = closest(name, options)
    if match is not None:
        return f"; did you mean `{match}`?"
    if not options:
        return ""
    return "; expected one of: " + ", ".join(f"`{o}`" for o in options)
