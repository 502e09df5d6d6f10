"""Mappa: which cabina-primaria area is an address in, and can I join a configuration there?

Thin page: reads the search box / the map click, calls ``cer_core.geo.lookup`` (the same lookup
as the calculator: register gazetteer, point-in-polygon, estimated GSE area; indexes once per
process), draws the result card and the map.
Shareable: the place is kept in the URL as ``?indirizzo=``.
"""

from __future__ import annotations

import streamlit as st

from app.components.map_component import RenderedMap, render_base, show_map
from app.components.map_view import (
    MapLabels,
    build_base_map,
    clicked_point,
    layers_geojson,
    place_data,
)
from app.components.numbers import date, month_year, number
from app.components.sportello import sportello_box
from app.components.text import escape_markdown
from app.data_access import configurations
from app.i18n import current_language, t, translate
from cer_core.configurations import load_cers
from cer_core.geo import GSE_MAP_URL, Location, LocationNotFound, locate_point, lookup
from cer_core.geo import layers as geo_layers
from cer_core.geo.areas import AreaIndex, default_index
from cer_core.geo.estimate import CLEAR_MARGIN_M, AreaEstimate, default_estimator

QUERY_PARAM = "indirizzo"
EXAMPLES = ("Piazza Leonardo da Vinci 32", "v.le Monza 120", "Bovisa")


def _index() -> AreaIndex:
    """Spatial indexes over NIL and areas: the engine's one per process (the calculator's too)."""
    return default_index()


@st.cache_resource(show_spinner=False, max_entries=1)
def _cers():
    return load_cers()


@st.cache_data(show_spinner=False, max_entries=1)
def _geojson() -> dict[str, str]:
    """GeoJSON strings of the display layers (simplified), computed once."""
    by_id = {c.id: c for c in configurations()}
    return layers_geojson(
        geo_layers.load_areas(), geo_layers.load_municipi(), geo_layers.load_boundary(), by_id
    )


def _find(query: str) -> Location | LocationNotFound:
    try:
        return lookup(query)
    except LocationNotFound as exc:
        return exc


def _not_found(query: str, error: LocationNotFound) -> None:
    reason = (
        error.reason
        if error.reason
        in {"empty", "too_long", "no_letters", "outside_milan", "no_match", "town_name"}
        else "no_match"
    )
    messages = {
        "empty": t("mappa.error_empty"),
        "too_long": t("mappa.error_too_long"),
        "no_letters": t("mappa.error_no_letters"),
        "outside_milan": t("mappa.error_outside_milan"),
        "no_match": t("mappa.error_no_match", query=escape_markdown(query)),
        "town_name": t("mappa.error_town_name", query=escape_markdown(query)),
    }
    st.warning(messages[reason], icon=":material/search_off:")
    if error.suggestions:
        st.markdown(t("mappa.did_you_mean"))
        columns = st.columns(len(error.suggestions))
        for column, suggestion in zip(columns, error.suggestions, strict=True):
            column.button(
                suggestion,
                key=f"mappa_suggestion_{suggestion}",
                on_click=_set_query,
                args=(suggestion,),
                icon=":material/arrow_forward:",
            )
    st.caption(t("mappa.search_hint", examples=" · ".join(EXAMPLES)))
    st.caption(t("mappa.gazetteer_limits"))


def _set_query(value: str) -> None:
    st.query_params[QUERY_PARAM] = value


def _warning_text(code: str) -> str:
    known = {
        "indicative_area": t("mappa.warn_indicative_area", url=GSE_MAP_URL),
        "indicative_and_estimated": t("mappa.warn_indicative_and_estimated", url=GSE_MAP_URL),
        "area_estimated": t("mappa.warn_area_estimated", url=GSE_MAP_URL),
        "near_border": t("mappa.warn_near_border", url=GSE_MAP_URL),
        "street_spans_municipi": t("mappa.warn_street_spans_municipi"),
        "name_corrected": t("mappa.warn_name_corrected"),
        "street_type_differs": t("mappa.warn_street_type_differs"),
        "place_centroid": t("mappa.warn_place_centroid"),
        "online_geocoder": t("mappa.warn_online_geocoder"),
        "clicked_point": t("mappa.warn_clicked_point"),
    }
    return known.get(code, code)


#: Warnings the card says in its own words (not repeated as captions).
_SAID_ON_THE_CARD = {"civic_not_found", "civic_missing"}


#: Warnings about the area itself: shown as notes, the rest as captions.
_AREA_NOTES = {"indicative_and_estimated", "indicative_area", "area_estimated", "near_border"}


def _card_warnings(codes: tuple[str, ...]) -> list[str]:
    """The warnings the card shows, in order: an indicative pilot area whose GSE code is also
    estimated gets one note for both (two near-identical boxes said the same thing)."""
    shown = [code for code in codes if code not in _SAID_ON_THE_CARD]
    if {"indicative_area", "area_estimated"} <= set(shown):
        shown.remove("area_estimated")
        shown[shown.index("indicative_area")] = "indicative_and_estimated"
    return shown


def _estimate_text(estimate: AreaEstimate) -> str:
    if estimate.confidence == "clear":
        return t("mappa.estimate_clear", code=estimate.code)
    codes = estimate.codes
    return t("mappa.estimate_between", first=", ".join(codes[:-1]), second=codes[-1])


def _estimate_lines(estimate: AreaEstimate, by_id: dict) -> None:
    """The estimated GSE area, always labelled *stimata*, with its doubt in plain words."""
    st.markdown(
        t("mappa.estimate_title", text=_estimate_text(estimate))
        + " :orange-badge[:material/help: "
        + t("mappa.estimate_badge")
        + "]"
    )
    config = by_id.get(estimate.inferred_configuration)
    if config is not None and estimate.confidence == "disputed":
        st.caption(
            t(
                "mappa.estimate_disputed",
                name=config.name,
                cp=config.cp_number,
                code=estimate.inferred_code,
                nearest=estimate.code,
            )
        )
    elif config is not None:
        st.caption(t("mappa.estimate_pilot_code", code=estimate.inferred_code, name=config.name))
    st.caption(t("mappa.estimate_method", margin=number(CLEAR_MARGIN_M)))


def _match_lines(found: Location) -> None:
    match = found.match
    st.caption(
        t("mappa.match_caption", kind=t(f"mappa.match_{match.kind}"), score=number(match.score))
    )
    if match.kind == "nearest_number":
        st.markdown(
            t(
                "mappa.nearest_number_note",
                requested=escape_markdown(match.requested_civic, 12),
                shown=escape_markdown(match.civic, 12),
            )
        )
    elif match.kind == "street_only":
        st.caption(t("mappa.street_only_note"))


def _result_card(found: Location, query: str) -> None:
    lang = current_language()
    by_id = {c.id: c for c in configurations()}
    config = by_id.get(found.configuration) if found.configuration else None
    with st.container(border=True, key="mappa_result"):
        st.markdown(f"##### :material/location_on: {escape_markdown(found.match.label, 120)}")
        _match_lines(found)
        st.markdown(
            t("mappa.where", municipio=found.municipio, nil=escape_markdown(found.nil, 120))
        )
        if found.cabina_name is None:
            pass  # no polygon here: the estimate below answers
        elif found.official:
            st.markdown(t("mappa.area_official", name=found.cabina_name, code=found.cabina_code))
        else:
            st.markdown(
                t("mappa.area_indicative", name=found.cabina_name)
                + " :orange-badge[:material/info: "
                + t("mappa.indicative_badge")
                + "]"
            )
        if found.area_estimate is not None:
            _estimate_lines(found.area_estimate, by_id)
        if config is not None:
            status = t(f"mappa.status_{config.status}")
            st.markdown(t("mappa.config_title", name=config.name, cer=config.cer, status=status))
            kw = config.published_plant_kw or config.planned_plant_kw
            facts = []
            if config.start_date:
                facts.append(t("mappa.config_start", date=date(config.start_date)))
            if config.published_plant_kw:
                facts.append(t("mappa.config_kw", kw=number(config.published_plant_kw)))
            elif config.planned_plant_kw:
                facts.append(t("mappa.config_kw_planned", kw=number(kw)))
            cer = _cers().get(config.cer)
            if cer and cer.members_published:
                facts.append(
                    t(
                        "mappa.config_members",
                        members=number(cer.members_published),
                        cer=cer.name,
                        date=month_year(cer.members_as_of),
                    )
                )
            if facts:
                st.markdown(" · ".join(facts))
            st.caption(config.plants_note_it if lang == "it" else config.plants_note_en)
        else:
            st.markdown(t("mappa.no_config"))
        for code in _card_warnings(found.warnings):
            if code in _AREA_NOTES:
                st.info(_warning_text(code), icon=":material/fact_check:")
            else:
                st.caption(_warning_text(code))
        _next_steps(found, query, config)
    sportello_box(compact=True, key="mappa_sportello")


def _next_steps(found: Location, query: str, config) -> None:
    st.markdown(f"**{t('mappa.next_title')}**")
    lang = current_language()
    cer = _cers().get(config.cer) if config is not None else None
    if cer and cer.join_url:
        st.link_button(
            t("mappa.next_join", cer=cer.name), cer.join_url, icon=":material/group_add:"
        )
    if cer:
        st.caption(cer.help_it if lang == "it" else cer.help_en)
    else:
        st.caption(t("mappa.next_sportello"))
    if not found.official:
        st.link_button(t("mappa.next_gse"), GSE_MAP_URL, icon=":material/open_in_new:")
    st.page_link(
        "views/calcolatore.py",
        label=t("mappa.next_calculator"),
        icon=":material/calculate:",
        query_params={QUERY_PARAM: query, "lang": lang},
        width="stretch",
    )


def _labels(lang: str) -> MapLabels:
    def tr(key: str, **values: object) -> str:
        return translate(lang, key, **values)

    return MapLabels(
        osm=tr("mappa.layer_osm"),
        no_tiles=tr("mappa.layer_no_tiles"),
        areas=tr("mappa.layer_areas"),
        municipi=tr("mappa.layer_municipi"),
        boundary=tr("mappa.layer_boundary"),
        indicative=tr("mappa.indicative_badge"),
        official=tr("mappa.official_badge"),
        status_active=tr("mappa.status_active"),
        status_planned=tr("mappa.status_planned"),
        you_are_here=tr("mappa.you_are_here"),
        data_attribution=tr("mappa.data_attribution"),
        no_tiles_notice=tr("mappa.map_no_tiles_notice"),
        area_centre=tr("mappa.map_area_centre", code="{code}"),
    )


@st.cache_resource(show_spinner=False, max_entries=4)
def _base_map(lang: str, show_municipi: bool) -> RenderedMap:
    """The base map of a language and Municipi switch, rendered once per process (a search
    only sends the place: ``app/components/map_component.py``)."""
    return render_base(build_base_map(_geojson(), _labels(lang), show_municipi))


def _area_centres(found: Location | None) -> list[tuple[str, float, float]]:
    """Centres of the estimate's candidate areas, most likely first (none when official)."""
    if found is None or found.area_estimate is None:
        return []
    estimator = default_estimator()
    centres = []
    for code in found.area_estimate.codes:
        point = estimator.centre(code)
        if point is not None:
            centres.append((code, *point))
    return centres


st.title(t("mappa.title"))
st.markdown(t("mappa.lead"))

url_query = st.query_params.get(QUERY_PARAM, "")
if "mappa_url" not in st.session_state or st.session_state["mappa_url"] != url_query:
    # first visit, a shared link, a map click or a suggestion: show that place in the box
    st.session_state["mappa_input"] = url_query
    st.session_state["mappa_url"] = url_query

left, right = st.columns([2, 3], gap="medium")
with left:
    with st.form("mappa_search", border=False, enter_to_submit=True):
        typed = st.text_input(
            t("mappa.search_label"),
            placeholder=t("mappa.search_placeholder"),
            key="mappa_input",
        )
        submitted = st.form_submit_button(
            t("mappa.search_button"), icon=":material/search:", type="primary"
        )
    if submitted:
        _set_query(typed)
        st.session_state["mappa_url"] = typed
        url_query = typed

    found: Location | None = None
    if url_query:
        answer = _find(url_query)
        if isinstance(answer, LocationNotFound):
            _not_found(url_query, answer)
        else:
            found = answer
            _result_card(found, url_query)
    else:
        st.info(t("mappa.start_hint"), icon=":material/touch_app:")
        st.caption(t("mappa.search_hint", examples=" · ".join(EXAMPLES)))

with right:
    show_municipi = st.toggle(t("mappa.show_municipi"), key="mappa_municipi")
    centres = _area_centres(found)
    place = place_data(
        _labels(current_language()),
        marker=(found.lat, found.lon) if found else None,
        marker_label=found.match.label if found else "",
        area_centres=centres,
    )
    returned = show_map(
        _base_map(current_language(), bool(show_municipi)), place, key="mappa_map", height=520
    )
    st.markdown(
        f":green-badge[{t('mappa.legend_active')}] "
        f":orange-badge[{t('mappa.legend_planned')}] "
        f":gray-badge[:material/border_style: {t('mappa.legend_indicative')}]"
        + (f" :orange-badge[{t('mappa.legend_estimate')}]" if centres else "")
        + (f" :violet-badge[{t('mappa.legend_municipi')}]" if show_municipi else "")
    )
    st.caption(t("mappa.attribution"))
    click = clicked_point(returned)
    if click is not None and click != st.session_state.get("mappa_last_click"):
        st.session_state["mappa_last_click"] = click
        try:
            locate_point(*click, index=_index())
        except LocationNotFound:
            st.toast(t("mappa.error_click_outside"), icon=":material/wrong_location:")
        else:
            value = f"{click[0]:.5f}, {click[1]:.5f}"
            _set_query(value)
            st.session_state["mappa_url"] = value
            st.rerun()
