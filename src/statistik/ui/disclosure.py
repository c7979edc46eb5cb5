"""Whether this dashboard hides small counts (a public copy, STATISTIK_OFFENTLIG) for the current visitor.

A stand-in until the disclosure rules of issue 8 provide the call: public mode hides counts of 1–4 for
everyone who is not logged in, as the public briefing does by default.
"""

from __future__ import annotations

import os

from statistik.ui import auth

PUBLIC_BELOW = 5


def hide_below() -> int | None:
    """The smallest count shown to this visitor (None: every count is shown)."""
    public = os.environ.get("STATISTIK_OFFENTLIG", "").strip().lower() not in ("", "0", "nej", "false")
    return PUBLIC_BELOW if public and auth.current_user() is None else None
