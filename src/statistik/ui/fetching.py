"""The upload page's "Hent nye tal fra Danmarks Statistik": ask Statistikbanken, then offer each table's answer
like an uploaded file (the same plan, revisions, accept and cancel); nothing is written before accept."""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path

import streamlit as st

from statistik.dst import refresh
from statistik.dst.api import DstError
from statistik.ingest import Rejected
from statistik.markup import md
from statistik.ui import uploading
from statistik.ui.store import cursor

_OFFERS = "dst_offers"      # the answers waiting for accept or cancel
_ERRORS = "dst_errors"      # why the last fetch failed, first line first


@dataclass(frozen=True)
class Answer:
    """One table's answer, shown by `uploading.show` as if it were an uploaded file."""

    name: str
    file_id: str


def fetch() -> None:
    """Ask Statistikbanken for every table and plan the answers against the version this page shows."""
    st.session_state.pop(_ERRORS, None)
    for offer in st.session_state.pop(_OFFERS, []):
        uploading.forget(offer.file_id)
    try:
        with st.spinner("Spørger Danmarks Statistik …"), tempfile.TemporaryDirectory(prefix="statistik-dst-") as tmp:
            fetched = refresh.fetch(cursor(), list(refresh.TABLES), Path(tmp))
            prepared = refresh.prepare_all(cursor(), fetched)
    except DstError as e:
        st.session_state[_ERRORS] = [str(e)]
        return
    except Rejected as e:
        st.session_state[_ERRORS] = ["Svaret fra Danmarks Statistik kunne ikke importeres; intet er gemt.",
                                     *(p.message() for p in e.problems)]
        return
    offers = []
    for f, p in zip(fetched, prepared):
        news = f"nye perioder: {', '.join(f.newer)}" if f.newer else "ingen nye perioder"
        offer = Answer(f"{f.name} ({news})", f"dst-{f.table}-{p.plan.sha256[:16]}")
        uploading.remember(offer.file_id, p)
        offers.append(offer)
    st.session_state[_OFFERS] = offers


def show(user_id: str) -> None:
    """The button, then why the fetch failed, or each answer's plan with accept and cancel."""
    if st.button("Hent nye tal fra Danmarks Statistik", icon=":material/cloud_download:",
                 help=f"Spørger Statistikbanken om kvartaler, der er nyere end databasens, og om de seneste "
                      f"{refresh.REVISION_QUARTERS} igen, så rettelser vises som revisioner. Intet gemmes, "
                      "før du godkender."):
        fetch()
    if errors := st.session_state.get(_ERRORS):
        st.error(md(errors[0]))
        if errors[1:]:
            st.markdown("\n".join(f"- {md(m)}" for m in errors[1:]))
    for offer in st.session_state.get(_OFFERS, []):
        uploading.show(offer, user_id)
