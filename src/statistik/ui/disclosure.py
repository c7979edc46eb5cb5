"""Whether this dashboard hides small counts (a public copy, STATISTIK_OFFENTLIG) for the current visitor.

The rule itself is `views.published`: for a visitor of a public dashboard every page reads only
figures some final public briefing printed (the rest are <NA>, shown as 'skjult'); it is applied
per page run (`ui.store.page_run(public=...)`). `hide_below` is for views that also mark what they
derive: counts under the threshold of the latest public briefing.
"""

from __future__ import annotations

from statistik import config, publications
from statistik.ui import auth
from statistik.ui.store import cursor

PUBLIC_BELOW = 5


def public_visitor() -> bool:
    """Whether the dashboard is public and nobody is logged in."""
    return config.public() and auth.current_user() is None


def hide_below() -> int | None:
    """The smallest count shown to this visitor (None: every count is shown)."""
    if not public_visitor():
        return None
    latest = next((f for f in publications.finals(cursor()) if f.public), None)
    return latest.suppress_below if latest else PUBLIC_BELOW
