"""What the command line prints."""

from __future__ import annotations


def print_table(rows: list[dict]) -> None:
    """Rows of equal keys as aligned columns; "(none)" for no rows."""
    if not rows:
        print("(none)")
        return
    widths = {k: max(len(k), *(len(str(r[k])) for r in rows)) for k in rows[0]}
    print("  ".join(k.ljust(w) for k, w in widths.items()))
    for row in rows:
        print("  ".join(str(row[k]).ljust(w) for k, w in widths.items()))
