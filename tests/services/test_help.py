"""The guide's content as data (issue 13, point 9): every page and picture in
resources/help is there, small and linked; search finds pages by their words; the About facts."""

from __future__ import annotations

import re
from pathlib import Path

from desktop_app.services.help import about_facts, load_guide, plain_text, query_words

MAX_PICTURE = 150_000


def test_each_user_and_each_common_problem_has_a_page():
    guide = load_guide()
    ids = [p.id for p in guide.pages]
    for needed in ("samordnare", "ekonomichef", "rcc", "problem-import", "problem-signatur",
                   "problem-kort"):  # fmt: skip
        assert needed in ids
    assert len(set(ids)) == len(ids)
    assert {p.group for p in guide.pages} <= set(guide.groups)
    for page in guide.pages:
        assert page.text.startswith(f"# {page.title}\n"), page.id
    assert set(guide.screens.values()) <= set(ids)


def test_every_picture_exists_is_a_small_png_and_every_link_leads_to_a_page():
    guide = load_guide()
    files = {p.path.name for p in guide.pages}
    shown: set[Path] = set()
    for page in guide.pages:
        for image in page.images():
            assert image.is_file(), f"{page.id}: {image} saknas"
            data = image.read_bytes()
            assert data.startswith(b"\x89PNG\r\n\x1a\n") and len(data) <= MAX_PICTURE, image
            shown.add(image)
        for target in re.findall(r"\]\(([^)]+\.md)\)", page.text):
            assert target in files, f"{page.id}: länken {target} leder ingenstans"
    assert len(shown) >= 6  # pictures of the screens for the users and the problems
    folder = guide.folder / "images"
    assert {p.resolve() for p in folder.glob("*.png")} == shown  # no picture left unused


def test_search_finds_pages_by_their_words():
    guide = load_guide()
    hits = guide.search("PUK")
    assert [h.page.id for h in hits] == ["problem-kort"]
    assert "PUK" in hits[0].snippet
    kvittens = {h.page.id for h in guide.search("Kvittens")}  # any case
    assert {"rcc", "granska"} <= kvittens
    # Every word must occur; a word finds longer words that start with it.
    both = {h.page.id for h in guide.search("kort låst")}
    assert "problem-kort" in both and "rcc" not in both
    assert guide.search("xyzzy") == [] and guide.search("  ") == []
    assert query_words("Kortet, kortet PIN") == ["kortet", "pin"]


def test_the_rcc_page_keeps_the_rcc_instructions():
    rcc = load_guide().page("rcc").plain
    for words in ("Underskrivare och betrodda utfärdare", "Kontrollera sista mottagningsdag",
                  "Godkänd med anmärkning", "Ändra mottagningsdag till den dag filen faktiskt kom",
                  "Skicka till Socialstyrelsen"):  # fmt: skip
        assert words in rcc


def test_plain_text_drops_the_markup():
    markdown = "# Rubrik\n\n**Sök igen**. [länk](a.md) ![bild](b.png)\n\n| a | b |\n|---|---|\n| c | **d** |"
    assert plain_text(markdown) == "Rubrik – Sök igen. länk bild a – b. c – d."


def test_about_tells_version_database_log_and_support(tmp_path):
    from desktop_app import __version__

    facts = about_facts(tmp_path / "min.sqlite3")
    assert facts.version == __version__ and facts.database == tmp_path / "min.sqlite3"
    assert "RCC" in facts.support and "IT" in facts.support
    assert facts.log_folder.name  # the error log's folder
