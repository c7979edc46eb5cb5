"""No tracebacks for users: a page error is a Danish message with the id of its entry in the server's log."""

from __future__ import annotations

import logging

from streamlit.testing.v1 import AppTest

from test_pages import DASHBOARD


def test_a_page_that_fails_shows_a_danish_message_with_the_log_id(db_path, monkeypatch, caplog):
    monkeypatch.delenv("STATISTIK_TEST_RAISE")
    from statistik.views import overview

    def broken(*args, **kwargs):
        raise RuntimeError("intern fejl med /hemmelig/sti")

    monkeypatch.setattr(overview, "cards", broken)
    with caplog.at_level(logging.ERROR, logger="statistik"):
        at = AppTest.from_file(DASHBOARD, default_timeout=60).run()
    assert not at.exception                                    # no traceback on the page
    message = next(e.value for e in at.error if "Der skete en fejl" in e.value)
    assert "/hemmelig/sti" not in message and "RuntimeError" not in message
    record = next(r for r in caplog.records if r.name == "statistik")
    error_id = record.getMessage().split()[1]
    assert f"nr. {error_id}" in message
    assert record.exc_info and "intern fejl med /hemmelig/sti" in str(record.exc_info[1])


def test_streamlit_is_told_to_show_no_error_details():
    import tomllib
    from pathlib import Path
    config = tomllib.loads((Path(DASHBOARD).parent / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["client"]["showErrorDetails"] == "none"
