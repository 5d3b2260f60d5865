"""The RCC's national extract (issue 15, point 1): read it, and make one prefilled start file
(the import workbook) per region of an RCC, marked with the extract's date and hash. A region
that imports its start file gets those values tagged ``rcc_extract``."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from desktop_app.domain.errors import UserError
from desktop_app.domain.figures import Cell, Number
from desktop_app.domain.provenance import Extract
from desktop_app.domain.reference import Region, load_reference
from desktop_app.domain.template import template_for_year
from desktop_app.exchange.excel import write_import_workbook
from desktop_app.exchange.excel_layout import MAX_FILE_BYTES
from desktop_app.exchange.extract_read import read_extract
from desktop_app.services.bootstrap import AppContext


@dataclass(frozen=True)
class StartFile:
    region: Region
    path: Path
    values: int


@dataclass(frozen=True)
class SplitResult:
    """The start files written, and the RCC's regions the extract has no values for."""

    extract: Extract
    files: list[StartFile]
    missing: list[Region]


def file_sha256(path: Path) -> str:
    """The SHA-256 of a file (read in blocks, bounded like the readers)."""
    h = hashlib.sha256()
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            raise UserError(f"Filen {path.name} är för stor för att vara ett datauttag.")
        with open(path, "rb") as fh:
            for block in iter(lambda: fh.read(1 << 16), b""):
                h.update(block)
    except OSError as exc:
        raise UserError(f"Filen {path} kan inte läsas ({exc.strerror or exc}).") from exc
    return h.hexdigest()


def _slug(text: str) -> str:
    ascii_ = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_.lower()).strip("-")


def split_extract(
    path: Path,
    on: date,
    rcc_id: str,
    out_dir: Path,
    year: int | None = None,
    ctx: AppContext | None = None,
) -> SplitResult:
    """Read the national extract and write a start file for each region of ``rcc_id`` that it
    has values for into ``out_dir``. Nothing is written when the file has a problem
    (ImportFileError lists every one). With ``ctx`` the RCC keeps its own copy of the
    extract's values for its regions (what a region later says the extract held is checked
    against it, services.compilation)."""
    ref = load_reference()
    rcc = ref.rcc(rcc_id)
    tpl = template_for_year(year or on.year)
    path = Path(path)
    if not path.is_file():
        raise UserError(f"Filen finns inte: {path}")
    values = read_extract(path, tpl)
    extract = Extract(on, file_sha256(path), rcc.id)
    out_dir = Path(out_dir)
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UserError(f"Mappen {out_dir} kan inte skapas ({exc.strerror or exc}).") from exc
    if ctx is not None:
        own = {code: values[code] for code in rcc.regions if values.get(code)}
        with ctx.uow() as uow:
            uow.extracts.add(extract, tpl.year, path.name, own)
            uow.commit()
    files: list[StartFile] = []
    missing: list[Region] = []
    for code in rcc.regions:
        region = ref.region(code)
        cells: dict[Cell, Number] = values.get(region.code, {})
        if not cells:
            missing.append(region)
            continue
        out = out_dir / f"startfil-{region.code}-{_slug(region.name)}-{tpl.year}.xlsx"
        write_import_workbook(out, tpl, region, cells, None, extract)
        files.append(StartFile(region, out, len(cells)))
    return SplitResult(extract, files, missing)
