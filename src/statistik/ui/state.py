"""Filters that survive moving between pages and can be shared as a link.

The session holds each filter's value; the URL's query parameters mirror it, so a copied link
opens the same view. Widget keys are separate from the stored values because Streamlit drops
a widget's state when a page without that widget runs.

Links are pasted into meeting papers and must keep working: a parameter that is renamed keeps its
old name in `aliases`, a value that is renamed its old spelling in `renamed` (old → new); a link
with either opens the same view and is rewritten to today's names (tests/test_links.py).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from statistik import districts
from statistik.markup import md


@dataclass(frozen=True)
class Filter:
    """One shared filter: its query parameter and default."""

    param: str
    default: object                                     # or a function giving it (the district follows the setting)
    many: bool = False
    aliases: tuple[str, ...] = ()                       # earlier names of the parameter
    renamed: dict = field(default_factory=dict)         # earlier values → today's

    def initial(self):
        """The default value."""
        return self.default() if callable(self.default) else self.default


def _own_district() -> str:
    return districts.current().code


FILTERS = {
    # 'kbh' was Københavns Politikreds before the district was a setting (districts.LEGACY_CODES).
    "areas": Filter("omraade", lambda: (_own_district(),), many=True, renamed=districts.LEGACY_CODES),
    "categories": Filter("kategori", ("1320",), many=True),
    "granularity": Filter("periode", "Q"),
    "measure": Filter("maal", "antal"),
    "base_year": Filter("basisaar", "2016"),
    "bands": Filter("usikkerhed", "ja"),
    "category": Filter("kat", "1320"),
    "kind": Filter("type", "Y"),
    "period": Filter("p", ""),
    "previous": Filter("foer", ""),
    "area": Filter("omr", _own_district, renamed=districts.LEGACY_CODES),
    "source": Filter("kilde", ""),
    "map_period": Filter("kortperiode", "R"),
    "police_districts": Filter("kredse", "nej"),
}


# Earlier addresses of pages → the page they are now (e.g. {"sammenlign": "app_pages/sammenligning.py"});
# dashboard.py adds a hidden page at each that forwards with the link's parameters.
PAGE_ALIASES: dict[str, str] = {}


def forwarding_pages(pages: dict[str, list]) -> list:
    """Hidden pages at the earlier addresses of renamed pages, forwarding to today's with the same filters; and,
    for an address that names no page, one at that address: a page written differently (`/Upload`, the default
    page's own name `/oversigt`) forwards to it, anything else says in Danish that the page does not exist
    (instead of Streamlit's English "Page not found")."""
    def forward(target):
        def page() -> None:
            st.switch_page(target, query_params=st.query_params.to_dict())
        return page
    found = [st.Page(forward(target), title=old, url_path=old, visibility="hidden")
             for old, target in PAGE_ALIASES.items()]
    every = [p for section in pages.values() for p in section]
    known = {p.url_path for p in every} | set(PAGE_ALIASES)
    asked = _address_asked()
    if not asked or asked in known or not re.fullmatch(r"[\w.-]{1,80}", asked):
        return found
    by_name = {name.casefold(): p for p in every for name in (p.url_path, re.sub(r"\W+", "_", p.title)) if name}
    by_name |= {old.casefold(): target for old, target in PAGE_ALIASES.items()}
    target = by_name.get(asked.casefold())
    return found + [st.Page(forward(target) if target is not None else _no_such_page(asked, every[0]),
                            title=asked, url_path=asked, visibility="hidden")]


def _address_asked() -> str | None:
    """The page name in the address the browser asked for (not set when moving between pages in the app)."""
    ctx = get_script_run_ctx()
    manager = getattr(ctx, "pages_manager", None)
    if manager is None or manager.intended_page_script_hash:
        return None
    return manager.intended_page_name


def _no_such_page(asked: str, home):
    def page() -> None:
        st.title("Siden findes ikke")
        st.info(f"Adressen /{md(asked)} er ikke en side i dashboardet. Vælg en side i menuen.",
                icon=":material/link_off:")
        st.page_link(home, label="Til forsiden")
    return page


def _key(name: str) -> str:
    return f"filter_{name}"


def _from_link(f: Filter):
    """The filter's value in the link (under its name or an earlier one), or None."""
    for param in (f.param, *f.aliases):
        if param not in st.query_params:
            continue
        if f.many:
            values = [f.renamed.get(v, v) for item in st.query_params.get_all(param) for v in item.split(",") if v]
        else:
            values = f.renamed.get(st.query_params.get(param), st.query_params.get(param))
        if param != f.param:                 # an old link: today's name replaces the old one
            del st.query_params[param]
            if values:
                st.query_params[f.param] = ",".join(values) if f.many else values
        return tuple(values) if f.many else values
    return None


def get(name: str):
    """The filter's value: from the session, else from the link, else its default."""
    f = FILTERS[name]
    if _key(name) not in st.session_state:
        st.session_state[_key(name)] = _from_link(f) or f.initial()
    return st.session_state[_key(name)]


def put(name: str, value) -> None:
    """Store a filter's value and show it in the link."""
    f = FILTERS[name]
    st.session_state[_key(name)] = tuple(value) if f.many else value
    if f.many:
        st.query_params[f.param] = ",".join(value)
    else:
        st.query_params[f.param] = str(value)


def share(names: Sequence[str]) -> None:
    """Put the page's filters into the link (so the URL always shows the current view)."""
    for name in names:
        put(name, get(name))


def _widget(name: str, make: Callable[[str], object]):
    key = f"widget_{name}"

    def changed() -> None:
        put(name, st.session_state[key])

    return make(key, changed)


def multiselect(name: str, label: str, options: Sequence[str], names: dict[str, str], **kw) -> tuple[str, ...]:
    """A multiselect bound to a shared filter; unknown values in a link are dropped.

    Danish placeholder; no English "Select all" entry (and choosing all 100 areas makes no chart).
    """
    current = [v for v in get(name) if v in options]
    kw.setdefault("placeholder", f"Vælg {label.lower()} …")
    _widget(name, lambda key, cb: st.multiselect(
        label, list(options), default=current, format_func=lambda v: names.get(v, v), key=key,
        on_change=cb, select_all=False, **kw))
    return tuple(v for v in get(name) if v in options)


def _index(name: str, options: list[str], default: str | None) -> int:
    """Where a single-choice widget starts: the stored value, else `default`, else the first option.

    A stored value that is not among the options (an old link, another period length) is
    replaced by the one shown, so the link always describes the view.
    """
    value = get(name)
    if value in options:
        return options.index(value)
    index = options.index(default) if default in options else 0
    put(name, options[index])
    return index


def selectbox(name: str, label: str, options: Sequence[str], names: dict[str, str] | None = None,
              default: str | None = None, **kw) -> str:
    """A selectbox bound to a shared filter."""
    options = list(options)
    index = _index(name, options, default)
    names = names or {}
    _widget(name, lambda key, cb: st.selectbox(
        label, options, index=index, format_func=lambda v: names.get(v, v), key=key, on_change=cb, **kw))
    return get(name)


def radio(name: str, label: str, options: dict[str, str], **kw) -> str:
    """A horizontal radio bound to a shared filter (options: value → label)."""
    keys = list(options)
    index = _index(name, keys, None)
    _widget(name, lambda key, cb: st.radio(
        label, keys, index=index, format_func=options.get, horizontal=True, key=key, on_change=cb, **kw))
    return get(name)


def open_trend(area: str, category: str, page: str = "app_pages/udvikling.py") -> None:
    """Go to Udvikling showing one area's trend for one category (the link says so too)."""
    put("areas", (area,))
    put("categories", (category,))
    st.switch_page(page, query_params={FILTERS["areas"].param: area, FILTERS["categories"].param: category})
