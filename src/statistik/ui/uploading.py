"""The upload flow: validate each chosen file, show its plan, accept or cancel."""

from __future__ import annotations

import logging
import tempfile
import uuid
from pathlib import Path

import streamlit as st

from statistik import reference
from statistik.ingest import PlanChanged, Prepared, Rejected, accept, plan as planning, prepare
from statistik.markup import md
from statistik.ui import components
from statistik.ui.store import cursor, load, write

_KEY = "upload_results"  # file id → Prepared or list of problem messages
_CHANGED = "upload_replanned"  # file ids whose plan was made again because the store changed


def _results() -> dict:
    return st.session_state.setdefault(_KEY, {})


def check(file, source: str | None) -> None:
    """Validate and plan an uploaded file once, with a progress bar."""
    results = _results()
    if file.file_id in results:
        return
    bar = st.progress(0.0, text=f"{file.name}: gemmer filen …")
    with tempfile.TemporaryDirectory(prefix="statistik-upload-") as tmp:
        path = Path(tmp) / "upload.csv"
        with open(path, "wb") as out:
            for chunk in iter(lambda: file.read(1 << 22), b""):
                out.write(chunk)
        try:
            results[file.file_id] = prepare(
                cursor(), path, source=source or None, name=file.name,
                progress=lambda step, fraction: bar.progress(fraction, text=f"{file.name}: {step} …"),
            )
        except Rejected as e:
            results[file.file_id] = [p.message() for p in e.problems]
        except Exception:  # one file's crash must not stop the page or the other files
            results[file.file_id] = [_internal_error(file.name)]
    bar.empty()


def _internal_error(name: str) -> str:
    error_id = uuid.uuid4().hex[:8]
    logging.getLogger("statistik.upload").exception("checking %s failed (fejl-id %s)", name, error_id)
    return (f"Filen kunne ikke kontrolleres på grund af en fejl i programmet (fejl-id {error_id}). "
            "Intet er gemt. Send filen og fejl-id'et til den, der driver statistik.")


def remember(file_id: str, prepared: Prepared) -> None:
    """Offer a plan made elsewhere (Statistikbanken's answer) like a checked file, for `show`."""
    forget(file_id)
    _results()[file_id] = prepared


def forget(file_id: str) -> None:
    """Drop a file's plan (cancelled, accepted, or to be made again)."""
    st.session_state.get(_CHANGED, set()).discard(file_id)
    result = _results().pop(file_id, None)
    if isinstance(result, Prepared):
        result.close()


def show(file, user_id: str) -> None:
    """A file's problems, or its plan with accept and cancel buttons."""
    result = _results().get(file.file_id)
    with st.container(border=True):
        st.markdown(f"**{md(file.name)}**")
        if result is None:
            st.caption("Fortrudt eller gemt.")
            return
        if isinstance(result, list):
            st.error(f"Filen er afvist: {len(result)} {'problem' if len(result) == 1 else 'problemer'}. "
                     "Intet er gemt. Ret filen og upload den igen.")
            st.markdown("\n".join(f"- {md(message)}" for message in result))
            return
        if file.file_id in st.session_state.get(_CHANGED, set()):
            st.warning("Tallene i databasen blev ændret, mens planen blev vist (en anden import?). "
                       "Planen herunder er lavet igen; se den og godkend igen.")
        try:
            _show_plan(file, result, user_id)
        except Exception:
            st.error(_internal_error(file.name))


def _show_plan(file, result: Prepared, user_id: str) -> None:
    """The plan, the revisions, the choice of new categories, and accept or cancel."""
    plan = result.plan
    for line in planning.describe(plan, load(reference.area_names), load(reference.category_names)):
        st.markdown(f"- {md(line)}")
    if plan.changed:
        st.markdown(f"**Reviderede tal** ({plan.changed}): gammel → ny værdi")
        components.table(planning.changes(result.cursor, plan), {"Før": "int", "Ny": "int"})
    if not plan.has_changes:
        st.info("Filen ændrer ingen tal (den er allerede importeret).")
        if st.button("Luk", key=f"close_{file.file_id}"):
            forget(file.file_id)
            st.rerun()
        return
    chosen = True
    if plan.new_categories:
        chosen = st.checkbox(
            f"Opret {len(plan.new_categories)} nye {'kategori' if len(plan.new_categories) == 1 else 'kategorier'}: "
            + ", ".join(md(n) for n in plan.new_categories.values()),
            key=f"new_categories_{file.file_id}",
            help="Kun hvis navnene er Danmarks Statistiks egne; er et navn en stavefejl, så ret filen.")
    left, right = st.columns(2)
    if left.button("Godkend og gem", type="primary", key=f"accept_{file.file_id}", disabled=not chosen):
        try:
            with write(f"import af {file.name}") as con:
                upload_id = accept(con, result, user_id, allow_new_categories=chosen)
        except PlanChanged:
            # Check the file again against the store as it is now; the next run says why.
            forget(file.file_id)
            st.session_state.setdefault(_CHANGED, set()).add(file.file_id)
            st.rerun()
        forget(file.file_id)
        st.session_state.setdefault("upload_done", []).append((file.name, upload_id))
        st.rerun()
    if right.button("Annullér", key=f"cancel_{file.file_id}"):
        forget(file.file_id)
        st.rerun()
