"""The child process that reads an uploaded workbook (`python -m pembina.spreadsheet_worker`).

python-calamine is native code: a sheet's grid is allocated whole (a 1.6 KB workbook with cells A1
and XFD1048576 asks for 512 GiB) and a failed allocation aborts the process, no exception reaching
Python. So a workbook is never parsed in the server: `pembina.spreadsheets` starts this module in
a process of its own, which first limits its own address space, processor time and file writes
(`resource.setrlimit`), then streams the first sheet's XML and the shared strings through expat
(no DTDs, bounded nesting, bounded extent) and only then lets calamine load the sheet. The rows go
to an output file as length-prefixed marshal chunks of many rows, read back by the parent.

Only the standard library and python-calamine are imported here (never the app): the child starts
fast and has nothing of the server's state.

Exit status: 0 rows written; 3 the file was refused or calamine reported an error (the message,
for the person who sent the file, on stdout as JSON); 4 out of memory in Python code. Anything
else (a signal: SIGABRT from a failed native allocation, SIGXCPU, SIGXFSZ, SIGKILL on timeout) is
reported by the parent."""

from __future__ import annotations

import json
import marshal
import posixpath
import re
import resource
import sys
import zipfile
from datetime import date, datetime, time
from typing import Any
from xml.parsers import expat

EXIT_REFUSED = 3
EXIT_NO_MEMORY = 4
#: Rows per marshal chunk of the output (and a chunk ends early past CHUNK_CHARS characters).
CHUNK_ROWS = 10_000
CHUNK_CHARS = 8 * 1024 * 1024
#: Bytes of XML fed to expat at a time.
READ_SIZE = 1 << 20

_REF = re.compile(r"\$?([A-Za-z]{1,10})\$?([0-9]{1,15})")


class Refused(Exception):
    """The workbook is refused; the message is for the person who sent it."""


def column_name(n: int) -> str:
    """1 -> A, 16384 -> XFD."""
    s = ""
    while n > 0:
        n, r = divmod(n - 1, 26)
        s = chr(65 + r) + s
    return s


def _ref(ref: str) -> tuple[int, int] | None:
    """'XFD1048576' -> (1048576, 16384), 1-based; None when it is no cell reference."""
    m = _REF.fullmatch(ref.strip())
    if m is None:
        return None
    col = 0
    for ch in m.group(1).upper():
        col = col * 26 + ord(ch) - 64
    return int(m.group(2)), col


def _local(name: str) -> str:
    return name.rpartition(":")[2]


class _Limits:
    def __init__(self, d: dict[str, int]):
        self.max_rows = d["max_rows"]
        self.max_columns = d["max_columns"]
        self.max_cells = d["max_cells"]
        self.max_xml_bytes = d["max_xml_bytes"]
        self.max_depth = d["max_depth"]
        self.max_output_bytes = d["max_output_bytes"]


def _bounds(lim: _Limits, rows: int, cols: int, declared: str | None = None) -> None:
    """Refuse a sheet reaching row `rows` and column `cols` (or declaring that range) past the bounds."""
    what = (
        f"declares the range {declared}"
        if declared
        else f"has cells as far as {column_name(cols)}{rows}"
        if cols
        else f"has a row numbered {rows:,}"
    )
    advice = (
        "Delete the empty rows and columns away from the data (or copy just the data into a new sheet), "
        "or save the sheet as CSV, and send it again."
    )
    if rows > lim.max_rows:
        raise Refused(f"The sheet {what}: {rows:,} rows, more than the {lim.max_rows:,} an import may have. {advice}")
    if cols > lim.max_columns:
        raise Refused(f"The sheet {what}: {cols:,} columns, more than the {lim.max_columns:,} an import may have. {advice}")
    if declared and rows * cols > lim.max_cells:
        raise Refused(
            f"The sheet {what}: {rows:,} rows by {cols:,} columns, more than the {lim.max_cells:,} cells an import may read. {advice}"
        )


class _Scan:
    """One XML part streamed through expat: nesting depth, no DTD (so no entities), and the
    extent of a worksheet's cells as calamine places them (a row or cell without `r` follows the
    previous one)."""

    def __init__(self, part: str, limits: _Limits):
        self.part = part
        self.limits = limits
        self.depth = 0
        self.row = 0  # current row, 1-based
        self.col = 0  # last cell's column in the current row, 1-based
        self.max_row = 0
        self.max_col = 0
        self.strings = 0
        self.cells = 0
        self.elements: list[tuple[str, dict[str, str]]] = []  # kept only for small parts (workbook, rels)

    def _parser(self, on_start: Any) -> Any:
        p = expat.ParserCreate()
        p.StartDoctypeDeclHandler = self._doctype
        p.EntityDeclHandler = self._doctype
        p.StartElementHandler = on_start
        p.EndElementHandler = self._end
        return p

    def _doctype(self, *_: Any) -> None:
        raise Refused(
            f"The file's part {self.part} declares an XML document type, which spreadsheets never do: it is not a workbook saved by a spreadsheet program."
        )

    def _deeper(self) -> None:
        self.depth += 1
        if self.depth > self.limits.max_depth:
            raise Refused(
                f"The file's part {self.part} is nested more than {self.limits.max_depth} levels deep: "
                "it is not a workbook saved by a spreadsheet program."
            )

    def _end(self, _name: str) -> None:
        self.depth -= 1

    def _keep(self, name: str, attrs: dict[str, str]) -> None:
        self._deeper()
        local = _local(name)
        if local in ("sheet", "Relationship") and len(self.elements) < 10_000:
            self.elements.append((local, attrs))

    def _shared(self, name: str, attrs: dict[str, str]) -> None:
        self._deeper()
        if name == "si" or name.endswith(":si"):
            self.strings += 1
            if self.strings > self.limits.max_cells:
                raise Refused(f"The file's shared strings list more than {self.limits.max_cells:,} texts, more than an import may read.")

    def _sheet(self, name: str, attrs: dict[str, str]) -> None:
        self._deeper()
        if not attrs:
            if name == "c" or name.endswith(":c"):
                self._cell(self.row, self.col + 1)
            elif name == "row" or name.endswith(":row"):
                self.row += 1
                self.col = 0
                self._cell(self.row, 0)
            return
        local = _local(name)
        if local == "c":
            at = _ref(attrs["r"]) if "r" in attrs else None
            if at is None:
                self._cell(self.row, self.col + 1)
            else:
                self._cell(*at)
        elif local == "row":
            r = attrs.get("r", "")
            self.row = int(r) if r.isdigit() and len(r) < 16 else self.row + 1
            self.col = 0
            self._cell(self.row, 0)
        elif local == "dimension" and "ref" in attrs:
            last = attrs["ref"].rpartition(":")[2]
            at = _ref(last)
            if at is not None:
                self._bounds(*at, declared=attrs["ref"])

    def _cell(self, row: int, col: int) -> None:
        self.col = col
        if col:
            self.cells += 1
            if self.cells > self.limits.max_cells:
                raise Refused(
                    f"The sheet has more than {self.limits.max_cells:,} cells, more than an import may read: save the sheet as CSV or split it."
                )
        if row > self.max_row or col > self.max_col:
            self.max_row, self.max_col = max(row, self.max_row), max(col, self.max_col)
            _bounds(self.limits, self.max_row, self.max_col)

    def _bounds(self, rows: int, cols: int, declared: str | None = None) -> None:
        _bounds(self.limits, rows, cols, declared)

    def run(self, z: zipfile.ZipFile, on_start: Any, budget: list[int]) -> None:
        """Stream the part; `budget` holds the XML bytes still allowed (shared by all parts)."""
        p = self._parser(on_start)
        try:
            with z.open(self.part) as f:
                while chunk := f.read(READ_SIZE):
                    budget[0] -= len(chunk)
                    if budget[0] < 0:
                        raise Refused(_too_much_xml(self.limits.max_xml_bytes))
                    p.Parse(chunk, False)
                p.Parse(b"", True)
        except expat.ExpatError as e:
            raise Refused(f"The spreadsheet cannot be read: its part {self.part} is not well-formed XML ({e}).") from None
        except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError, RuntimeError) as e:
            raise Refused(f"The spreadsheet cannot be read: its part {self.part} cannot be unpacked ({e}).") from None


def _greater_digits(n: int) -> str:
    """A regular expression for decimal numbers (no leading zeros) greater than n."""
    s = str(n)
    alts = [f"[1-9][0-9]{{{len(s)},}}"]
    for i, d in enumerate(s):
        if d != "9":
            alts.append(f"{s[:i]}[{int(d) + 1}-9][0-9]{{{len(s) - i - 1}}}")
    return "(?:" + "|".join(alts) + ")(?![0-9])"


def _greater_letters(n: int) -> str:
    """A regular expression for column letters after column n (case-insensitive use)."""
    s = column_name(n)
    alts = [f"[A-Z]{{{len(s) + 1},}}"]
    for i, ch in enumerate(s):
        if ch != "Z":
            alts.append(f"{s[:i]}[{chr(ord(ch) + 1)}-Z][A-Z]{{{len(s) - i - 1}}}")
    return "(?:" + "|".join(alts) + ")(?![A-Z])"


#: A cell or row tag not written as `<c r="...` / `<row r="...` (no reference, or not first),
#: and a namespace-prefixed cell or row: such a sheet is scanned exactly, element by element.
_UNUSUAL = re.compile(rb'<(?:c|row)(?:[>/\t\n\r]| (?!r="))|:(?:c|row)[\s/>]')


class _FastSheet:
    """The usual worksheet (every writer puts `r` first on each cell and row) checked at the
    speed of bytes.count and one regular expression per chunk: the cells counted and every
    reference compared with the bounds. Anything unusual (see chunk) sends the sheet to the
    exact scan. Element by element, expat costs ~30 s on a 300,000-row sheet; this ~3 s.
    Nesting is not checked here: calamine's XML reader streams (no recursion), and nesting
    cannot widen a sheet."""

    def __init__(self, limits: _Limits):
        self.limits = limits
        self.cells = 0
        columns = f"\\$?(?:{_greater_letters(limits.max_columns)})"
        rows = f"\\$?[A-Z]{{0,4}}\\$?0*{_greater_digits(limits.max_rows)}"
        self.over = re.compile(f' r="\\s*(?:{columns}|{rows})'.encode(), re.IGNORECASE)

    def chunk(self, data: bytes) -> bool:
        """False when the chunk is unusual (the sheet must be scanned exactly): a cell or row
        written differently, or any comment, CDATA section or document type (`<!`)."""
        if b"<!" in data:
            return False
        cells = data.count(b'<c r="')
        if data.count(b"<c") != cells or data.count(b"<row") != data.count(b'<row r="'):
            if _UNUSUAL.search(data):
                return False
        if b":c" in data or b":row" in data:
            if _UNUSUAL.search(data):
                return False
        self.cells += cells
        if self.cells > self.limits.max_cells:
            raise Refused(
                f"The sheet has more than {self.limits.max_cells:,} cells, more than an import may read: save the sheet as CSV or split it."
            )
        if (m := self.over.search(data)) is not None:
            end = data.find(b'"', m.start() + 4)
            ref = data[m.start() + 4 : end if end > 0 else m.end()].decode("ascii", "replace").strip().replace("$", "")
            at = _ref(ref) if ref[:1].isalpha() else (int(ref), 0) if ref.isdigit() else None
            _bounds(self.limits, *(at or (self.limits.max_rows + 1, 1)))
        return True


_DIMENSION = re.compile(rb'<dimension\s+ref\s*=\s*["\']([^"\']*)["\']')


def _scan_sheet(z: zipfile.ZipFile, part: str, limits: _Limits, budget: list[int]) -> None:
    """Check a worksheet: quickly when it is written the usual way, else element by element."""
    fast = _FastSheet(limits)
    left = budget[0]
    before_data = True
    try:
        with z.open(part) as f:
            tail = b""
            while True:
                data = f.read(READ_SIZE)
                left -= len(data)
                if left < 0:
                    raise Refused(_too_much_xml(limits.max_xml_bytes))
                data = tail + data
                if data and len(data) > len(tail):
                    cut = data.rfind(b"<")  # no tag is split between chunks
                    cut = cut if cut > 0 else len(data)
                    data, tail = data[:cut], data[cut:]
                else:
                    tail = b""
                if before_data:
                    if (m := _DIMENSION.search(data)) is not None:
                        declared = m.group(1).decode("ascii", "replace")
                        if (at := _ref(declared.rpartition(":")[2])) is not None:
                            _bounds(limits, *at, declared=declared)
                    before_data = b"<sheetData" not in data
                if not fast.chunk(data):
                    break
                if not data and not tail:
                    budget[0] = left
                    return
    except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError, RuntimeError) as e:
        raise Refused(f"The spreadsheet cannot be read: its part {part} cannot be unpacked ({e}).") from None
    exact = _Scan(part, limits)
    exact.run(z, exact._sheet, budget)


def _too_much_xml(limit: int, size: int | None = None) -> str:
    return (
        f"The workbook unpacks to {'more than ' if size is None else ''}{(size or limit) / 2**20:,.0f} MiB of sheet data, "
        f"more than the {limit / 2**20:,.0f} MiB an XLSX import may read "
        "into memory: save the sheet as CSV (read as a stream, any size up to the upload limit) or split it."
    )


def _first_sheet(z: zipfile.ZipFile, names: set[str], limits: _Limits, budget: list[int]) -> list[str]:
    """The part of the workbook's first sheet (the one calamine reads), resolved through
    xl/workbook.xml and its relationships; every worksheet part when that cannot be resolved."""
    every = sorted(n for n in names if n.startswith("xl/worksheets/") and n.endswith(".xml"))
    if "xl/workbook.xml" not in names or "xl/_rels/workbook.xml.rels" not in names:
        return every
    wb = _Scan("xl/workbook.xml", limits)
    wb.run(z, wb._keep, budget)
    rels = _Scan("xl/_rels/workbook.xml.rels", limits)
    rels.run(z, rels._keep, budget)
    first = next((a for n, a in wb.elements if n == "sheet"), None)
    if first is None:
        return every
    rid = next((v for k, v in first.items() if _local(k) == "id"), None)
    target = next((a.get("Target") for n, a in rels.elements if n == "Relationship" and a.get("Id") == rid), None)
    if not target:
        return every
    part = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join("xl", target))
    return [part] if part in names else every


def check(path: str, limits: _Limits) -> None:
    """Refuse a workbook calamine should not load: too much XML, a DTD, absurd nesting, a first
    sheet whose declared or actual extent is past the bounds, too many shared strings."""
    try:
        z = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, EOFError):
        return  # no zip (an XLS): calamine says what is wrong with it, within this process's limits
    with z:
        infos = z.infolist()
        names = {i.filename for i in infos}
        if "xl/workbook.xml" not in names:
            return  # not XLSX (ODS, XLSB): read by calamine within this process's limits only
        declared = sum(i.file_size for i in infos if i.filename.startswith("xl/worksheets/") or i.filename == "xl/sharedStrings.xml")
        if declared > limits.max_xml_bytes:
            raise Refused(_too_much_xml(limits.max_xml_bytes, declared))
        budget = [limits.max_xml_bytes]
        if "xl/sharedStrings.xml" in names:
            sst = _Scan("xl/sharedStrings.xml", limits)
            sst.run(z, sst._shared, budget)
        for part in _first_sheet(z, names, limits, budget):
            _scan_sheet(z, part, limits, budget)


def _cell(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    if isinstance(v, datetime):
        return v.date().isoformat() if v.time() == time(0) else v.isoformat()
    if isinstance(v, date):
        return v.isoformat()
    return str(v).strip()


def _write(out: Any, chunk: list[list[str]]) -> None:
    """One chunk: its length (8 bytes, little-endian), then the marshalled rows."""
    blob = marshal.dumps(chunk)
    out.write(len(blob).to_bytes(8, "little"))
    out.write(blob)


def parse(path: str, out_path: str, limits: _Limits) -> None:
    """The first sheet's rows, cells as trimmed strings, to `out_path` as marshal chunks."""
    from python_calamine import CalamineWorkbook

    try:
        rows = CalamineWorkbook.from_path(path).get_sheet_by_index(0).iter_rows()
    except MemoryError:
        raise
    except Exception as e:  # noqa: BLE001 - any parser failure is the file's fault
        raise Refused(f"The spreadsheet cannot be read: {e}.") from None
    written = 0
    with open(out_path, "wb") as out:
        chunk: list[list[str]] = []
        chars = 0
        for row in rows:
            cells = [v.strip() if type(v) is str else _cell(v) for v in row]  # text cells, the usual, first
            chunk.append(cells)
            chars += sum(map(len, cells))
            if len(chunk) >= CHUNK_ROWS or chars >= CHUNK_CHARS:
                written += chars
                if written > limits.max_output_bytes:
                    raise Refused(
                        f"The sheet holds more than {limits.max_output_bytes / 2**20:,.0f} MiB of text, more than an import may read: "
                        "save the sheet as CSV or split it."
                    )
                _write(out, chunk)
                chunk, chars = [], 0
        if chunk:
            _write(out, chunk)


def limit_resources(memory_bytes: int, cpu_seconds: int, file_bytes: int) -> None:
    """This process's own limits, set before anything of the file is read."""

    def lower(which: int, soft: int, hard: int) -> None:
        _, limit = resource.getrlimit(which)
        if limit != resource.RLIM_INFINITY:
            soft, hard = min(soft, limit), min(hard, limit)
        resource.setrlimit(which, (soft, hard))

    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    lower(resource.RLIMIT_AS, memory_bytes, memory_bytes)
    lower(resource.RLIMIT_CPU, cpu_seconds, cpu_seconds + 1)  # SIGXCPU, then SIGKILL a second later
    lower(resource.RLIMIT_FSIZE, file_bytes, file_bytes)  # past it: SIGXFSZ


def main(argv: list[str]) -> int:
    settings, path, out_path = json.loads(argv[0]), argv[1], argv[2]
    limits = _Limits(settings)
    limit_resources(settings["memory_bytes"], settings["cpu_seconds"], 4 * limits.max_output_bytes + 16 * limits.max_cells + (64 << 20))
    try:
        check(path, limits)
        parse(path, out_path, limits)
    except Refused as e:
        sys.stdout.write(json.dumps({"message": str(e)}))
        return EXIT_REFUSED
    except MemoryError:
        return EXIT_NO_MEMORY
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
