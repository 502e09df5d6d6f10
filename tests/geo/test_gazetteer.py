"""Offline gazetteer: forgiving matching and clear refusals."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cer_core.geo import locate
from cer_core.geo.gazetteer import LocationNotFound
from cer_core.geo.geocode import default_gazetteer


@pytest.fixture(scope="module")
def gaz():
    return default_gazetteer()


@pytest.mark.parametrize(
    ("query", "label", "kind"),
    [
        ("VIA REZZONICO FRANCESCO 6", "Via Rezzonico Francesco 6", "address_exact"),
        ("via francesco rezzonico 6", "Via Rezzonico Francesco 6", "address_exact"),  # inverted
        ("Via Rezonico 6", "Via Rezzonico Francesco 6", "address_fuzzy"),  # typo + partial
        ("via bezzeca 12", "Via Bezzecca 12", "address_fuzzy"),  # typo
        ("v.le Certosa 21", "Viale Certosa 21", "address_exact"),  # abbreviation
        ("VIALE CERTOSA 21, Milano", "Viale Certosa 21", "address_exact"),
        ("via brà 2", "Via Brà 2", "address_exact"),
        ("via bra 2", "Via Brà 2", "address_exact"),  # missing accent
        ("p.za Leonardo da Vinci", "Piazza Leonardo da Vinci", "street"),  # no civic
    ],
)
def test_forgiving_matches(gaz, query, label, kind):
    hit = gaz.search(query)
    assert (hit.label, hit.kind) == (label, kind)


def test_exact_address_carries_the_comune_labels(gaz):
    hit = gaz.search("Via Rezzonico Francesco 6")
    assert (hit.municipio, hit.id_nil) == (4, 26)
    assert hit.score == 100


def test_unknown_civic_number_falls_back_to_the_street_with_a_warning(gaz):
    hit = gaz.search("Via Bezzecca 9999")
    assert hit.kind == "street"
    assert "civic_not_found" in hit.warnings
    assert hit.municipio is None  # not the label of a different civic number


def test_neighbourhood_names(gaz):
    hit = gaz.search("citta studi")
    assert (hit.kind, hit.id_nil, hit.label) == ("place", 22, "Città Studi")
    assert gaz.search("Niguarda").id_nil == 14


@pytest.mark.parametrize(
    ("query", "reason"),
    [
        ("", "empty"),
        ("   ", "empty"),
        ("x" * 2000, "too_long"),
        ("🙂🙂🙂", "no_letters"),
        ("12345", "no_letters"),
        ("Via Padova 12, 10121", "outside_milan"),
        ("Via del Corso 1, Roma", "outside_milan"),
        ("Via Nazionale 10, 00184 Roma", "outside_milan"),
        ("asdf", "no_match"),
        ("'; DROP TABLE civici; --", "no_match"),
        ("<script>alert(1)</script>", "no_match"),
    ],
)
def test_bad_input_is_refused_with_a_reason(gaz, query, reason):
    with pytest.raises(LocationNotFound) as caught:
        gaz.search(query)
    assert caught.value.reason == reason
    assert caught.value.field == "indirizzo"


def test_street_outside_the_gazetteer_gets_suggestions(gaz):
    with pytest.raises(LocationNotFound) as caught:
        gaz.search("Via Giuseppe La Masa 34")
    assert caught.value.reason == "no_match"
    assert 1 <= len(caught.value.suggestions) <= 3
    assert all(s.startswith(("Via", "Viale", "Piazza", "Corso")) for s in caught.value.suggestions)


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=300))
def test_any_text_either_locates_or_refuses_cleanly(text):
    reason = None
    try:
        found = locate(text)
    except LocationNotFound as exc:
        reason = exc.reason
    if reason is None:
        assert 1 <= found.municipio <= 9
    else:
        assert reason in {"empty", "too_long", "no_letters", "outside_milan", "no_match"}
