"""Codes, not sentences (cer_core.notices): every code the engine emits has an English template,
every template is emitted somewhere, and a notice survives JSON, pickling and comparisons as its
English sentence."""

from __future__ import annotations

import json
import pickle
import re
import string
from pathlib import Path

import pytest

from cer_core.notices import ENGLISH, Notice, codes_of, notice

CER_CORE = Path(__file__).resolve().parents[2] / "cer_core"
EMITTED = re.compile(r"""\bnotice\(\s*["']([a-z0-9_]+)["']""")


def emitted_codes() -> set[str]:
    found = set()
    for path in CER_CORE.rglob("*.py"):
        if path.name != "notices.py":
            found |= set(EMITTED.findall(path.read_text(encoding="utf-8")))
    return found


def test_every_emitted_code_has_a_template_and_every_template_is_emitted():
    emitted = emitted_codes()
    assert len(emitted) >= 20, "the pattern found too few notice() calls: update EMITTED"
    assert emitted - set(ENGLISH) == set()
    assert set(ENGLISH) - emitted == set()


def test_unknown_code_fails_loudly():
    with pytest.raises(KeyError):
        notice("no_such_code")


def test_a_notice_is_its_english_sentence():
    reason = notice("before_cer_constitution", date="2024-10-14")
    warning = notice("plant_reason", plant="Tetto", reason=reason)
    assert isinstance(warning, str)
    assert warning == "Tetto: national rule: commissioned before the CER was constituted " \
        "(2024-10-14) (DM 414 art. 3)"  # fmt: skip
    assert "national rule" in warning
    copy = pickle.loads(pickle.dumps(warning))
    assert (copy, copy.code, copy.values["reason"].code) == (warning, "plant_reason", reason.code)
    assert json.loads(json.dumps([warning])) == [str(warning)]
    as_json = codes_of([warning, "plain"])
    assert as_json[0]["values"]["reason"] == {
        "code": "before_cer_constitution",
        "values": {"date": "2024-10-14"},
        "text": str(reason),
    }
    assert as_json[1] == {"text": "plain"}


def test_templates_name_their_values():
    for code, template in ENGLISH.items():
        fields = [name for _, name, _, _ in string.Formatter().parse(template) if name]
        assert all(re.fullmatch(r"[a-z_]+", f) for f in fields), code
    assert isinstance(notice("economics_year1_scaled"), Notice)
