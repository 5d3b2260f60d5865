"""The in-application guide (issue 13, point 9): its pages as data in resources/help/ (Markdown
pages and PNG pictures, listed in index.json), searching them by words, the page for a screen,
and what the About box tells (version, database, where to get support)."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from desktop_app.resources import resources_dir

HELP_FOLDER = "help"
_IMAGE = re.compile(r"!\[([^\]]*)\]\(([^)\s]+)\)")
_LINK = re.compile(r"\[([^\]]*)\]\(([^)\s]+)\)")
_EMPHASIS = re.compile(r"[*_`]+")
_MARKUP = re.compile(r"[#|>]+|^-{3,}$", re.M)
_WORD = re.compile(r"\w+", re.U)


@dataclass(frozen=True)
class HelpPage:
    """One page of the guide."""

    id: str
    title: str
    group: str
    path: Path  # the Markdown file
    text: str  # as written (Markdown)

    @property
    def plain(self) -> str:
        """The words of the page without Markdown markup (for search and snippets)."""
        return plain_text(self.text)

    def images(self) -> list[Path]:
        """The pictures the page shows, as files."""
        return [(self.path.parent / src).resolve() for _, src in _IMAGE.findall(self.text)]


def _row(line: str) -> str:
    """A table row as a phrase: its cells joined with dashes; the header rule dropped."""
    cells = [c.strip() for c in line.strip().strip("|").split("|")]
    if all(re.fullmatch(r":?-{3,}:?", c) for c in cells):
        return ""
    row = " – ".join(c for c in cells if c)
    return row if row.endswith((".", "!", "?", ":")) else row + "."


def plain_text(markdown: str) -> str:
    lines = [_row(ln) if ln.lstrip().startswith("|") else ln for ln in markdown.splitlines()]
    text = re.sub(r"^#+\s*(.+)$", r"\1 –", "\n".join(lines), flags=re.M)  # a heading ends
    text = _IMAGE.sub(r"\1", text)
    text = _LINK.sub(r"\1", text)
    text = _EMPHASIS.sub("", text)
    text = _MARKUP.sub(" ", text)
    return re.sub(r"\s+", " ", text).strip()


def query_words(query: str) -> list[str]:
    """The words searched for: case-folded, each once, in order."""
    return list(dict.fromkeys(w.casefold() for w in _WORD.findall(query)))


@dataclass(frozen=True)
class SearchHit:
    page: HelpPage
    hits: int  # how often the words occur (the title counts more)
    snippet: str  # the text around the first occurrence


@dataclass(frozen=True)
class Guide:
    """The whole guide: pages in table-of-contents order, grouped."""

    title: str
    groups: tuple[str, ...]
    pages: tuple[HelpPage, ...]
    screens: dict[str, str]
    support: str
    folder: Path

    def page(self, page_id: str) -> HelpPage:
        return next((p for p in self.pages if p.id == page_id), self.pages[0])

    def page_of_file(self, path: Path | str) -> HelpPage | None:
        name = Path(path).name
        return next((p for p in self.pages if p.path.name == name), None)

    def page_for_screen(self, screen: str) -> HelpPage:
        """The page a screen opens on (the first page for a screen not listed)."""
        return self.page(self.screens.get(screen, self.pages[0].id))

    def search(self, query: str) -> list[SearchHit]:
        """The pages where every word of ``query`` occurs (as a word or the start of one:
        "kort" finds "kortet"), most hits first."""
        words = query_words(query)
        if not words:
            return []
        out = []
        for page in self.pages:
            plain = page.plain
            folded = plain.casefold()
            title = page.title.casefold()
            counts = [len(re.findall(rf"\b{re.escape(w)}", folded)) for w in words]
            if not all(counts):
                continue
            score = sum(counts) + sum(5 for w in words if w in title)
            body = plain_text(page.text.split("\n", 1)[-1])  # the snippet without the title
            out.append(SearchHit(page, score, _snippet(body, body.casefold(), words[0])))
        return sorted(out, key=lambda h: -h.hits)


def _snippet(plain: str, folded: str, word: str, width: int = 70) -> str:
    m = re.search(rf"\b{re.escape(word)}", folded)
    at = m.start() if m else 0
    start, end = max(0, at - width), min(len(plain), at + len(word) + width)
    if start:  # begin and end on whole words
        start = plain.find(" ", start, at) + 1 or start
    cut = plain.rfind(" ", at, end)
    if end < len(plain) and cut > at:
        end = cut
    return ("…" if start else "") + plain[start:end].strip() + ("…" if end < len(plain) else "")


def help_folder() -> Path:
    return resources_dir() / HELP_FOLDER


@lru_cache(maxsize=4)
def load_guide(folder: Path | None = None) -> Guide:
    """The guide in ``folder`` (resources/help/ unless given)."""
    folder = folder or help_folder()
    index = json.loads((folder / "index.json").read_text(encoding="utf-8"))
    pages = []
    for p in index["pages"]:
        path = folder / "pages" / p["file"]
        pages.append(HelpPage(p["id"], p["title"], p["group"], path, path.read_text("utf-8")))
    return Guide(
        title=index["title"],
        groups=tuple(index["groups"]),
        pages=tuple(pages),
        screens=dict(index.get("screens", {})),
        support=index.get("support", ""),
        folder=folder,
    )


@dataclass(frozen=True)
class AboutFacts:
    """What the About box shows."""

    version: str
    database: Path
    log_folder: Path
    support: str


def about_facts(database: Path) -> AboutFacts:
    """The version, the open database, the error log's folder and the support text."""
    from desktop_app import __version__
    from desktop_app.crash_log import log_dir

    return AboutFacts(__version__, Path(database), log_dir(), load_guide().support)
