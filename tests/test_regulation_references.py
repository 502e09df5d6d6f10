"""Every ``docs/rules.md §N`` (and parameters' ``reg §N``) cited in the repository exists in
``docs/rules.md``, and that document is the project's own (no path outside the clone)."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "rules.md"
SKIP_DIRS = {".git", ".venv", "node_modules", "__pycache__", ".pytest_cache", ".ruff_cache"}
SUFFIXES = {".py", ".md", ".toml", ".csv", ".json", ".txt", ".yml", ".yaml", ".cfg"}
# "docs/rules.md §3.3", "reg §8, §14.6", "docs/rules.md §3-5", "§12 Example 6"
CITATION = re.compile(r"(?:rules\.md|\breg)\s+((?:§[\d.]+(?:-§?[\d.]+)?(?:,\s*|;\s*)?)+)")
SECTION = re.compile(r"§(\d+(?:\.\d+)?)")


def document_sections() -> set[str]:
    """Section numbers of docs/rules.md: headings ``## N.`` / ``### N.M`` and §14's items."""
    sections: set[str] = set()
    current = None
    for line in DOC.read_text("utf-8").splitlines():
        heading = re.match(r"^(#{2,3}) (\d+(?:\.\d+)?)\.? ", line)
        if heading:
            current = heading.group(2)
            sections.add(current)
            continue
        item = re.match(r"^(\d+)\. ", line)
        if current == "14" and item:
            sections.add(f"14.{item.group(1)}")
    return sections


def cited_sections() -> dict[str, set[str]]:
    """``{section: {file, ...}}`` of every citation in the repository's text files."""
    found: dict[str, set[str]] = {}
    for path in ROOT.rglob("*"):
        if not path.is_file() or path.suffix not in SUFFIXES or path == DOC:
            continue
        if SKIP_DIRS & set(path.relative_to(ROOT).parts):
            continue
        text = path.read_text("utf-8", errors="replace")
        for match in CITATION.finditer(text):
            for number in SECTION.findall(match.group(1)):
                found.setdefault(number.rstrip("."), set()).add(str(path.relative_to(ROOT)))
    return found


def test_document_has_every_section_0_to_14():
    sections = document_sections()
    assert {str(n) for n in range(15)} <= sections
    assert {f"14.{n}" for n in range(1, 18)} <= sections


def test_every_citation_points_to_an_existing_section():
    sections = document_sections()
    cited = cited_sections()
    assert len(cited) > 20  # the scan really finds the citations
    missing = {s: sorted(files) for s, files in cited.items() if s not in sections}
    assert not missing, f"cited sections absent from docs/rules.md: {missing}"


def test_document_is_self_contained():
    text = DOC.read_text("utf-8")
    assert "PROVENANCE" not in text
    assert "shared/" not in text
    # the worked examples the tests use are all there
    for n in range(1, 9):
        assert f"### Example {n} " in text
