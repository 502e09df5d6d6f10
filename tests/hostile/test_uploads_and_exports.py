"""Hostile uploads (transparency import) and every file the app lets people download.

Already covered by ``tests/transparency/test_ingest.py`` and not repeated here: UTF-8/UTF-8-BOM/
Latin-1/cp1252 files keep Italian accents (``test_encodings_keep_italian_accents``), UTF-16 with
and without BOM (``test_utf16_*``), a file above 5 MB refused before reading
(``test_big_file_is_refused_before_reading``). The proxy refuses bodies above 60 MB
(``tests/deploy/test_stack.py::test_oversize_upload_is_refused_by_the_proxy``).
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import openpyxl
import pytest
import streamlit
from hypothesis import given
from hypothesis import strategies as st
from streamlit.delta_generator import DeltaGenerator

from app.i18n import translate
from cer_core.transparency import store
from cer_core.transparency.ingest import MAX_FILE_BYTES, import_file
from tests.app.apptest import open_tab, run_page
from tests.hostile.strategies import HOSTILE_SETTINGS, NASTY_STRINGS

REPO_ROOT = Path(__file__).resolve().parents[2]
INJECTION = "=cmd|' /C calc'!A0"
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
PROJECT_HEADER = (
    "project_id,title,configuration_id,fund_year,municipio,proposer,category,status,"
    "approved_eur,spent_eur,beneficiaries,vote_date,source"
)


def dangerous_cells(data: bytes) -> list[str]:
    """CSV cells a spreadsheet would run as a formula (numbers such as -5 are fine)."""
    text = data.decode("utf-8-sig")
    found = []
    for row in csv.reader(io.StringIO(text)):
        for cell in row:
            if cell.startswith(FORMULA_START):
                try:
                    float(cell)
                except ValueError:
                    found.append(cell)
    return found


@pytest.fixture
def downloads(monkeypatch):
    """Every ``download_button`` payload of an AppTest run: ``{file_name: bytes}``."""
    captured: dict[str, bytes] = {}
    original = DeltaGenerator.download_button

    def record(self, label, data, file_name=None, *args, **kwargs):
        payload = data() if callable(data) else data
        payload = payload.encode("utf-8") if isinstance(payload, str) else payload
        captured[file_name or label] = bytes(payload)
        return original(self, label, payload, file_name, *args, **kwargs)

    monkeypatch.setattr(DeltaGenerator, "download_button", record)
    monkeypatch.setattr(
        streamlit, "download_button", lambda *a, **k: record(streamlit._main, *a, **k)
    )
    return captured


@pytest.fixture
def injected_store(tmp_path, monkeypatch):
    """A fresh SQLite store (demo data) plus one project whose text cells are formulas."""
    url = f"sqlite:///{tmp_path / 'store.db'}"
    monkeypatch.setenv("CER_DATABASE_URL", url)
    monkeypatch.setenv("CER_CACHE_DIR", str(tmp_path / "cache"))
    streamlit.cache_data.clear()
    streamlit.cache_resource.clear()
    engine = store.open_store(url, seed_demo=True)
    row = (
        f'evil-1,"{INJECTION}",citta-studi,2025,3,"@SUM(1+1)*cmd|\'/C calc\'!A0",community,'
        f'proposed,0,0,0,,"+HYPERLINK(""https://evil.example"")"'
    )
    report = import_file(engine, f"{PROJECT_HEADER}\n{row}\n".encode(), file_name="evil.csv")
    engine.dispose()
    yield report
    streamlit.cache_data.clear()
    streamlit.cache_resource.clear()


def test_transparency_exports_neutralise_formulas(injected_store, downloads):
    assert injected_store.errors == [], injected_store.errors  # the text was accepted as data...
    at = run_page("trasparenza", "it", query={"vista": "progetti"})
    assert not at.exception
    csv_files = {name: data for name, data in downloads.items() if name.endswith(".csv")}
    assert csv_files, "no CSV download on the projects view"
    joined = b"".join(csv_files.values()).decode("utf-8-sig")
    assert "cmd|" in joined  # ...the project is in the export...
    for name, data in csv_files.items():
        assert dangerous_cells(data) == [], f"{name} exports live formulas"  # ...neutralised
    exported = json.loads(downloads["cer-milano-trasparenza.json"])
    assert exported  # JSON is data, not a spreadsheet: kept as published


@pytest.mark.parametrize("vista", ["riepilogo", "configurazioni", "municipi", "flussi", "energia"])
def test_every_transparency_csv_is_formula_free(vista, downloads):
    at = run_page("trasparenza", "en", query={"vista": vista})
    assert not at.exception
    csv_files = {n: d for n, d in downloads.items() if n.endswith(".csv")}
    assert csv_files
    for name, data in csv_files.items():
        assert dangerous_cells(data) == [], name


def test_calculator_exports_neutralise_and_escape_the_address(downloads):
    address = f"<script>alert(1)</script>{INJECTION}"
    at = run_page("calcolatore", "it", query={"indirizzo": address, "scelta": "pv"})
    open_tab(at, "results_tab", translate("it", "calcolatore.tab_download"))
    assert not at.exception
    assert downloads, "the calculator offers no download"
    for name, data in downloads.items():
        if name.endswith(".csv"):
            assert dangerous_cells(data) == [], f"{name} exports live formulas"
        if name.endswith(".html"):
            html = data.decode("utf-8")
            assert "<script>alert(1)</script>" not in html, f"{name}: the address is live HTML"
            assert "<script" not in html.lower(), f"{name} carries a script"


def test_import_error_report_neutralises_the_uploaded_cells():
    """The admin page offers the per-row errors as CSV: cells from the upload are neutralised."""
    engine = store.open_store("sqlite://", seed_demo=False)
    row = f'x,"{INJECTION}",nowhere,notayear,99,"@evil",bad,bad,-1,-1,-1,31/31/2025,src'
    report = import_file(engine, f"{PROJECT_HEADER}\n{row}\n".encode(), dry_run=True)
    assert report.errors
    data = store.to_csv_bytes(report.errors_frame())
    assert dangerous_cells(data) == []


# --- hostile files into the importer --------------------------------------------------------


@HOSTILE_SETTINGS
@given(
    content=st.one_of(
        st.binary(max_size=400),
        st.text(max_size=400).map(lambda s: s.encode("utf-8", "surrogatepass")),
        st.sampled_from(NASTY_STRINGS).map(lambda s: f"{PROJECT_HEADER}\n{s}\n".encode()),
        st.sampled_from(["utf-16", "utf-16-le", "latin-1", "cp1252", "utf-8-sig"]).map(
            lambda enc: (
                f"{PROJECT_HEADER}\np1,Perché sì: città più,citta-studi,2025,3,"
                f"Associazione Né,community,proposed,0,0,0,,ò\n".encode(enc, "replace")
            )
        ),
        st.just(b"PK\x03\x04" + b"\x00" * 100),  # looks like a zip, is not
    ),
    name=st.sampled_from(["f.csv", "f.xlsx", "f", "../../etc/passwd", "<b>.csv"]),
)
def test_importer_never_raises_on_any_bytes(content, name):
    engine = store.open_store("sqlite://", seed_demo=False)
    report = import_file(engine, content, file_name=name, dry_run=True)
    assert report.errors or not report.committed
    engine.dispose()


def xlsx_bomb(uncompressed_mb: int) -> bytes:
    """A valid-looking XLSX (< 1 MB) whose one sheet inflates to ``uncompressed_mb`` of XML."""
    book = openpyxl.Workbook()
    book.active.title = "projects"
    book.active.append(PROJECT_HEADER.split(","))
    small = io.BytesIO()
    book.save(small)
    out = io.BytesIO()
    row = b'<row><c t="inlineStr"><is><t>p</t></is></c><c t="inlineStr"><is><t>t</t></is></c></row>'
    with zipfile.ZipFile(small) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for item in source.infolist():
            if item.filename != "xl/worksheets/sheet1.xml":
                zf.writestr(item, source.read(item))
                continue
            with zf.open(item.filename, "w", force_zip64=True) as sheet:
                sheet.write(b'<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats')
                sheet.write(b'.org/spreadsheetml/2006/main"><sheetData>')
                chunk = row * 10_000
                for _ in range(uncompressed_mb * 1024 * 1024 // len(chunk)):
                    sheet.write(chunk)
                sheet.write(b"</sheetData></worksheet>")
    return out.getvalue()


BOMB_RUNNER = """
import json, resource, sys
resource.setrlimit(resource.RLIMIT_AS, (1_500_000_000, 1_500_000_000))
from cer_core.transparency import store
from cer_core.transparency.ingest import import_file
data = open(sys.argv[1], "rb").read()
report = import_file(store.open_store("sqlite://", seed_demo=False), data,
                     file_name="bomb.xlsx", dry_run=True)
print(json.dumps([str(e) for e in report.errors]))
"""


def test_xlsx_zip_bomb_is_refused_quickly(tmp_path):
    bomb = tmp_path / "bomb.xlsx"
    bomb.write_bytes(xlsx_bomb(200))
    assert bomb.stat().st_size < MAX_FILE_BYTES  # the size limit alone does not catch it
    try:
        done = subprocess.run(
            [sys.executable, "-c", BOMB_RUNNER, str(bomb)],
            cwd=REPO_ROOT,
            env={**os.environ},
            capture_output=True,
            text=True,
            timeout=20,
        )
    except subprocess.TimeoutExpired:
        pytest.fail("a 200 MB (uncompressed) XLSX kept the importer busy for more than 20 s")
    assert done.returncode == 0, f"the importer crashed on the bomb: {done.stderr[-800:]}"
    errors = json.loads(done.stdout.strip().splitlines()[-1])
    assert errors, "the zip bomb was accepted"


def test_upload_limits_agree_between_proxy_and_streamlit():
    """Issue 14: the caps were 60 MB while the importer takes 5 MiB. Streamlit's cap is the
    importer's; the admin site's proxy cap adds only the multipart envelope; the public site has
    no upload at all."""
    config = tomllib.loads((REPO_ROOT / ".streamlit" / "config.toml").read_text())
    template = (REPO_ROOT / "deploy" / "nginx.conf.template").read_text()
    assert config["server"]["enableXsrfProtection"] is True
    limit_mb = config["server"]["maxUploadSize"]
    assert limit_mb * 1024 * 1024 == MAX_FILE_BYTES  # Streamlit's MB are MiB
    admin = template[template.index("listen {admin_listen};") :]
    upload = admin[admin.index("location /_stcore/upload_file/") :]
    assert f"client_max_body_size {limit_mb + 1}m;" in upload.split("}", 1)[0]
    public = template[template.index("listen {listen};") : template.index("listen {admin_listen};")]
    assert "location /_stcore/upload_file/ {{\n            return 403;" in public
    assert re.findall(r"client_max_body_size (\w+);", public) == ["64k"]
    assert "limit_req zone=" in public
    assert "limit_conn " in public
