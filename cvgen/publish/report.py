"""What a publish prints: the dry-run table and the one-line summary."""

from __future__ import annotations

from cvgen.publish.plan import Plan
from cvgen.sizes import human_size


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def summary_line(
    uploaded: int, size: int, deleted: int, invalidated: int, seconds: float, verb: str = "uploaded"
) -> str:
    """`uploaded 3 files (12.4 KB), deleted 0, invalidated 2 paths in 0.8 s`."""
    return (
        f"{verb} {_plural(uploaded, 'file')} ({human_size(size)}), deleted {deleted}, "
        f"invalidated {_plural(invalidated, 'path')} in {seconds:.1f} s"
    )


def plan_table(plan: Plan) -> str:
    """The plan as a table: path, reason, size, cache-control; then totals and invalidations."""
    rows: list[tuple[str, str, str, str]] = [
        (u.path, u.reason, human_size(u.size), u.headers.cache_control) for u in plan.uploads
    ]
    rows += [(path, "delete", "", "") for path in plan.deletes]
    lines = []
    if rows:
        header = ("path", "reason", "size", "cache-control")
        widths = [max(len(row[i]) for row in [header, *rows]) for i in range(3)]
        for row in [header, *rows]:
            lines.append(
                f"{row[0]:<{widths[0]}}  {row[1]:<{widths[1]}}  {row[2]:>{widths[2]}}  {row[3]}".rstrip()
            )
    else:
        lines.append("nothing to upload or delete")
    lines.append(
        f"total: {_plural(len(plan.uploads), 'upload')} ({human_size(plan.upload_bytes)}), "
        f"{_plural(len(plan.deletes), 'delete')}, {plan.unchanged} unchanged"
    )
    if plan.kept:
        lines.append(
            f"kept: {_plural(len(plan.kept), 'remote file')} not in the output "
            "(pass --delete to remove; assets of the last 2 releases are always kept)"
        )
    if plan.invalidations:
        lines.append(f"invalidate ({len(plan.invalidations)}): " + " ".join(plan.invalidations))
    else:
        lines.append("invalidate: none")
    return "\n".join(lines)
