"""The Sportello Energia contact (data/sportello.toml) is shown where the resident needs it."""

from __future__ import annotations

import pytest

from cer_core.sportello import load_sportello
from tests.app.apptest import run_page


def page_text(at) -> str:
    parts = [m.value for m in at.markdown] + [c.value for c in at.caption]
    return "\n".join(parts)


@pytest.mark.parametrize(
    ("page", "query"),
    [
        ("home", {}),
        ("mappa", {"indirizzo": "Piazza Leonardo da Vinci 32"}),
        ("calcolatore", {}),
    ],
)
@pytest.mark.parametrize("lang", ["it", "en"])
def test_contact_is_on_the_page(page, query, lang):
    contact = load_sportello()
    at = run_page(page, lang, query=query)
    assert not at.exception
    text = page_text(at)
    assert f"]({contact.website})" in text
    assert f"](mailto:{contact.email})" in text
    if contact.phone:
        assert f"]({contact.phone_uri})" in text
    else:
        assert "tel:" not in text  # an empty field is hidden


def test_empty_fields_are_hidden(tmp_path, monkeypatch):
    import shutil

    from cer_core.paths import data_dir

    for name in ("configurations.toml", "reference_configurations.toml", "parameters.toml"):
        shutil.copy(data_dir() / name, tmp_path / name)
    (tmp_path / "sportello.toml").write_text(
        'name_it = "Sportello Energia"\nemail = ""\nphone = ""\nwebsite = ""\n', encoding="utf-8"
    )
    monkeypatch.setenv("CER_DATA_DIR", str(tmp_path))
    from app import data_access

    data_access.sportello.clear()
    try:
        at = run_page("home", "it")
        text = page_text(at)
        assert "Sportello Energia" in text
        assert "mailto:" not in text
        assert "tel:" not in text
    finally:
        data_access.sportello.clear()
