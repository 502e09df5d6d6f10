"""Trasparenza and admin pages (AppTest): every view in both languages, URLs, demo label, access."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import sqlalchemy as sa
import streamlit as st
from streamlit.testing.v1 import AppTest

from app.components.text import escape_markdown
from app.i18n import translate
from tests.app.apptest import ENTRYPOINT, run_page

VIEWS = ("riepilogo", "configurazioni", "municipi", "progetti", "flussi", "energia")
VIEW_HEADERS = {
    "riepilogo": "summary_title",
    "configurazioni": "config_title",
    "municipi": "municipi_title",
    "progetti": "projects_title",
    "flussi": "flows_title",
    "energia": "energy_title",
}
ADMIN_PAGE = str(Path(ENTRYPOINT).parent / "views" / "admin.py")


def _fresh_caches():
    st.cache_data.clear()
    st.cache_resource.clear()


@pytest.fixture(scope="module", autouse=True)
def demo_database(tmp_path_factory):
    """The pages read a throw-away SQLite store seeded with the demo data."""
    url = f"sqlite:///{tmp_path_factory.mktemp('trasparenza') / 'store.db'}"
    patch = pytest.MonkeyPatch()
    patch.setenv("CER_DATABASE_URL", url)
    patch.delenv("CER_TRANSPARENCY_SEED_DEMO", raising=False)
    _fresh_caches()
    yield url
    patch.undo()
    _fresh_caches()


def charts(at: AppTest) -> list[dict]:
    return [json.loads(el.proto.spec) for el in at.get("plotly_chart")]


def text_of(at: AppTest) -> str:
    return " ".join(m.value for m in [*at.markdown, *at.caption, *at.warning, *at.info])


@pytest.mark.parametrize("lang", ["it", "en"])
@pytest.mark.parametrize("vista", VIEWS)
def test_every_view_renders_in_both_languages(vista, lang):
    at = run_page("trasparenza", lang, query={"vista": vista})
    assert not at.exception, [e.value for e in at.exception]
    assert at.title[0].value == translate(lang, "trasparenza.title")
    assert at.header[0].value == translate(lang, f"trasparenza.{VIEW_HEADERS[vista]}")
    assert len(at.metric) == 6
    assert all(box.value is not None for box in at.selectbox)  # no empty "Choose an option"
    assert translate(lang, "trasparenza.demo_banner") in [w.value for w in at.warning]
    assert "2025" in " ".join(c.value for c in at.caption)  # period and as-of date
    labels = [b.label for b in at.get("download_button")]
    assert translate(lang, "trasparenza.download_json") in labels
    assert translate(lang, "trasparenza.download_csv") in labels


def test_totals_use_the_language_number_format():
    italian = run_page("trasparenza", "it")
    english = run_page("trasparenza", "en")
    it_value = italian.metric[1].value
    en_value = english.metric[1].value
    assert it_value.endswith("\u00a0€")  # CLDR: "21.419 €" (no-break space) / "€21,419"
    assert en_value.startswith("€")
    assert it_value.replace(".", "").removesuffix("\u00a0€") == en_value.replace(",", "")[1:]
    assert "." in it_value
    assert "," in en_value


def test_projects_url_filters_by_municipio():
    at = run_page("trasparenza", "it", query={"vista": "progetti", "municipio": "3"})
    assert at.selectbox(key="trasparenza_municipio").value == 3
    table = at.dataframe[0].value
    assert len(table) > 0
    assert set(table["municipio"]) == {3}
    everything = run_page("trasparenza", "it", query={"vista": "progetti"})
    assert len(everything.dataframe[0].value) > len(table)


def test_changing_a_filter_updates_the_url():
    # Italian: AppTest re-applies format_func outside the script run, where t() is Italian.
    at = run_page("trasparenza", "it", query={"vista": "progetti"})
    at.selectbox(key="trasparenza_municipio").set_value(9).run()
    assert at.query_params["municipio"] == "9"
    assert set(at.dataframe[0].value["municipio"]) == {9}
    at.selectbox(key="trasparenza_municipio").set_value("tutti").run()
    assert "municipio" not in at.query_params


def test_invalid_url_values_fall_back_to_defaults():
    at = run_page("trasparenza", "it", query={"vista": "nonesiste", "anno": "1999"})
    assert not at.exception
    assert at.header[0].value == translate("it", "trasparenza.summary_title")
    assert at.selectbox(key="trasparenza_anno").value == 2025
    notices = [w.value for w in at.warning if "`vista`" in w.value]
    assert notices, "nothing says that the link's values were ignored"
    assert "`anno`" in notices[0]
    assert "nonesiste" not in notices[0]  # the parameter is named, its value never echoed


def test_valid_and_empty_url_values_give_no_notice():
    for query in ({"vista": "progetti", "municipio": "9", "anno": "tutti"}, {"vista": ""}):
        at = run_page("trasparenza", "it", query=query)
        assert not at.exception
        assert not [w for w in at.warning if "`" in w.value], query


def test_database_unreachable_says_so_without_a_traceback(monkeypatch):
    monkeypatch.setenv("CER_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:9/cer")
    _fresh_caches()
    try:
        at = run_page("trasparenza", "en", query={"anno": "tutti"})
        assert not at.exception, [e.value for e in at.exception]
        assert [e.value for e in at.error] == [translate("en", "trasparenza.db_unavailable")]
        assert len(at.metric) == 0
    finally:
        _fresh_caches()


def test_database_down_keeps_showing_the_last_data_read(monkeypatch):
    from cer_core.transparency import store

    _fresh_caches()
    first = run_page("trasparenza", "en", query={"vista": "progetti"})
    assert not first.exception

    def down(*args, **kwargs):
        raise sa.exc.OperationalError("SELECT 1", {}, ConnectionRefusedError("down"))

    for name in ("View", "years", "as_of", "export_json"):
        monkeypatch.setattr(store, name, down)
    st.cache_data.clear()  # the cached reads expired; the last copies stay in the process
    try:
        at = run_page("trasparenza", "en", query={"vista": "progetti"})
        assert not at.exception, [e.value for e in at.exception]
        assert translate("en", "trasparenza.db_stale") in [w.value for w in at.warning]
        assert [m.value for m in at.metric] == [m.value for m in first.metric]
        monkeypatch.undo()  # the database is back: fresh data, no warning
        st.cache_data.clear()
        at = run_page("trasparenza", "en", query={"vista": "progetti"})
        assert translate("en", "trasparenza.db_stale") not in [w.value for w in at.warning]
    finally:
        _fresh_caches()


def test_year_without_data_and_all_years():
    at = run_page("trasparenza", "en", query={"anno": "tutti"})
    assert at.selectbox(key="trasparenza_anno").value == "tutti"
    assert at.metric[1].value != "0 €"


def test_sankey_has_translated_nodes_and_conserves_money():
    at = run_page("trasparenza", "en", query={"vista": "flussi"})
    sankey = charts(at)[0]["data"][0]
    assert charts(at)[0]["layout"]["separators"] == ".,"
    assert sankey["type"] == "sankey"
    labels = sankey["node"]["label"]
    assert translate("en", "trasparenza.node_social_fund") in labels
    assert translate("en", "trasparenza.cat_energy_poverty") in labels
    gse = labels.index(translate("en", "trasparenza.node_gse"))
    out_of_gse = sum(
        v
        for s, v in zip(sankey["link"]["source"], sankey["link"]["value"], strict=True)
        if s == gse
    )
    shown = float(at.metric[1].value.replace(",", "").strip(" €"))
    assert out_of_gse == pytest.approx(shown, abs=1)


def test_municipi_choropleth_has_the_nine_municipi():
    at = run_page("trasparenza", "it", query={"vista": "municipi", "indicatore": "shared_kwh"})
    traces = charts(at)[0]["data"]
    assert charts(at)[0]["layout"]["separators"] == ",."  # Italian: 1.234,5
    polygons = [tr for tr in traces if tr.get("fill") == "toself"]
    assert sorted(tr["name"] for tr in polygons) == sorted(f"Municipio {m}" for m in range(1, 10))
    colours = {tr["name"]: tr["fillcolor"] for tr in polygons}
    assert colours["Municipio 3"] == "rgb(11,93,59)"  # Città Studi shares the most energy
    assert colours["Municipio 1"] == "rgb(241,246,243)"  # nothing in Municipio 1


def test_energy_view_shows_estimated_and_forecast_for_one_configuration():
    at = run_page("trasparenza", "en", query={"vista": "energia", "configurazione": "bovisa"})
    names = [trace["name"] for trace in charts(at)[0]["data"]]
    assert names == [
        translate("en", "trasparenza.energy_estimated"),
        translate("en", "trasparenza.energy_forecast"),
    ]
    assert len(at.dataframe[0].value) == 12


def test_empty_store_renders_without_demo_label(tmp_path, monkeypatch):
    monkeypatch.setenv("CER_DATABASE_URL", f"sqlite:///{tmp_path / 'empty.db'}")
    monkeypatch.setenv("CER_TRANSPARENCY_SEED_DEMO", "0")
    _fresh_caches()
    try:
        for vista in VIEWS:
            at = run_page("trasparenza", "it", query={"vista": vista})
            assert not at.exception, (vista, [e.value for e in at.exception])
            assert not at.warning, vista
    finally:
        _fresh_caches()


def test_admin_page_is_not_registered_without_authentication():
    at = AppTest.from_file(ENTRYPOINT, default_timeout=60)
    at.run()
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page("views/admin.py")


@pytest.mark.parametrize("lang", ["it", "en"])
def test_admin_page_refuses_without_authentication(lang):
    at = AppTest.from_file(ADMIN_PAGE, default_timeout=60)
    at.session_state["lang"] = lang
    at.run()
    assert not at.exception
    assert at.error[0].value == translate(lang, "admin.no_auth")
    assert not at.get("file_uploader")


def _admin(lang: str, user: dict | None = None, admins: list[str] | None = None) -> AppTest:
    at = AppTest.from_file(ENTRYPOINT, default_timeout=60)
    at.query_params["lang"] = lang
    at.secrets["auth"] = {"redirect_uri": "http://localhost/oauth2callback"}
    if admins is not None:
        at.secrets["transparency"] = {"admins": admins}
    for key, value in (user or {}).items():
        at.user[key] = value
    at.run()
    return at.switch_page("views/admin.py").run()


@pytest.mark.parametrize("lang", ["it", "en"])
def test_admin_page_asks_to_log_in(lang):
    at = _admin(lang)
    assert not at.exception
    assert at.title[0].value == translate(lang, "admin.title")
    assert [b.label for b in at.button] == [translate(lang, "admin.login")]
    assert not at.get("file_uploader")


@pytest.mark.parametrize("lang", ["it", "en"])
def test_admin_page_for_a_logged_in_user_shows_upload_and_audit_log(lang):
    at = _admin(
        lang,
        {"is_logged_in": True, "email": "ufficio@comune.milano.it", "email_verified": True},
        admins=["Ufficio@Comune.Milano.it"],
    )
    assert not at.exception, [e.value for e in at.exception]
    email = escape_markdown("ufficio@comune.milano.it")  # shown as typed, never as markup
    assert translate(lang, "admin.logged_in_as", email=email) in text_of(at)
    assert len(at.get("file_uploader")) == 1
    audit = at.dataframe[-1].value
    assert "demo-seed" in set(audit["actor"])


def test_admin_allowlist_refuses_other_users():
    email = "[x](https://evil.example)@example.org"  # the identity provider's text is not markup
    user = {"is_logged_in": True, "email": email, "email_verified": True}
    at = _admin("en", user, admins=["a@comune.it"])
    expected = translate("en", "admin.refused_not_allowed", email=escape_markdown(email))
    assert at.error[0].value == expected
    assert "](https://evil.example" not in at.error[0].value
    assert not at.get("file_uploader")


@pytest.mark.parametrize(
    ("user", "admins", "reason"),
    [
        ({"email": "a@comune.it", "email_verified": True}, None, "no_admins"),
        ({"name": "a@comune.it", "email": "", "email_verified": True}, ["a@comune.it"], "no_email"),
        ({"email": "a@comune.it", "email_verified": False}, ["a@comune.it"], "email_not_verified"),
        ({"email": "a@comune.it"}, ["a@comune.it"], "email_not_verified"),
    ],
)
def test_admin_page_refuses_without_list_email_or_verification(user, admins, reason):
    at = _admin("en", {"is_logged_in": True, **user}, admins=admins)
    assert not at.exception, [e.value for e in at.exception]
    assert at.error[0].value == translate(
        "en", f"admin.refused_{reason}", email=escape_markdown(user.get("email", ""))
    )
    assert not at.get("file_uploader")


def test_municipi_view_falls_back_to_bars_without_the_outlines(monkeypatch):
    import cer_core.geo.layers as layers
    from cer_core.paths import DataFileError

    def missing():
        raise DataFileError(Path("data/geo/municipi.parquet"), "missing")

    monkeypatch.setattr(layers, "load_municipi", missing)
    st.cache_data.clear()
    try:
        at = run_page("trasparenza", "en", query={"vista": "municipi"})
        assert not at.exception
        trace = charts(at)[0]["data"][0]
        assert trace["type"] == "bar"
        assert trace["x"] == [f"Municipio {m}" for m in range(1, 10)]
        assert translate("en", "trasparenza.municipi_no_map") in text_of(at)
    finally:
        st.cache_data.clear()


def _headline(totals: dict, lang: str = "it") -> list[str]:
    from cer_core import formatting as fmt

    return [
        f"{fmt.number(totals['shared_kwh'] / 1000, lang, 1)} MWh",
        fmt.money(totals["incentives_eur"], lang),
        fmt.money(totals["social_fund_eur"], lang),
        fmt.number(totals["projects_funded"], lang),
        fmt.number(totals["households"], lang),
        fmt.number(totals["members"], lang),
    ]


@pytest.mark.parametrize(
    ("query", "filters"),
    [
        ({"vista": "progetti", "municipio": "9"}, {"municipio": 9}),
        ({"vista": "progetti", "categoria": "energy_poverty"}, {"category": "energy_poverty"}),
        ({"vista": "energia", "configurazione": "bovisa"}, {"configuration_id": "bovisa"}),
    ],
)
def test_headline_figures_follow_the_filters(demo_database, query, filters):
    from cer_core.transparency import store

    view = store.View(store.make_engine(demo_database), 2025)
    whole = run_page("trasparenza", "it", query={"vista": query["vista"]})
    assert [m.value for m in whole.metric] == _headline(view.totals())  # unfiltered: unchanged
    filtered = run_page("trasparenza", "it", query=query)
    assert not filtered.exception
    shown = [m.value for m in filtered.metric]
    assert shown == _headline(view.totals(**filters))
    assert shown != [m.value for m in whole.metric], "a filter changes the headline figures"
    scope = [c.value for c in filtered.caption if c.value.startswith("Cifre filtrate")]
    assert len(scope) == 1
