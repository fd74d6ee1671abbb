"""Untrusted spreadsheets cannot take the server down.

python-calamine allocates a sheet's whole grid: a 1.6 KB workbook with cells A1 and XFD1048576
asks for 512 GiB and the Rust allocator aborts the process (no Python handler runs, every
in-flight request dies). Workbooks are checked on their streamed XML before calamine sees them,
and parsed in a child process with hard limits; whatever goes wrong there is a row-0 file error
(422) and the server keeps serving."""

from __future__ import annotations

import io
import time
import zipfile

import pytest

from pembina.kit.roles import ClientScope, Role
from pembina.config import get_settings
from tests.conftest import report_sk
from tests.test_registration_api import KLEGO, submitted_batch

IMPORTS = "/api/v1/imports/posyandu"
BATCHES = "/api/v1/registration-batches"
NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
#: The bound the issue states for refusing a hostile workbook.
SECONDS = 10

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
    "</Types>"
)
PACKAGE_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
    "</Relationships>"
)
WORKBOOK = (
    f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{NS}" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>'
    "</Relationships>"
)
HEADER_ROW = '<row r="1"><c r="A1" t="inlineStr"><is><t>region_code</t></is></c><c r="B1" t="inlineStr"><is><t>name</t></is></c></row>'


def workbook(sheet_data: str, dimension: str | None = None, shared_strings: str | None = None) -> bytes:
    """A minimal valid XLSX (what a spreadsheet program needs to open it) with the given sheet."""
    dim = f'<dimension ref="{dimension}"/>' if dimension else ""
    sheet = f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{NS}">{dim}<sheetData>{sheet_data}</sheetData></worksheet>'
    sst = shared_strings or f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{NS}" count="0" uniqueCount="0"/>'
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, text in [
            ("[Content_Types].xml", CONTENT_TYPES),
            ("_rels/.rels", PACKAGE_RELS),
            ("xl/workbook.xml", WORKBOOK),
            ("xl/_rels/workbook.xml.rels", WORKBOOK_RELS),
            ("xl/worksheets/sheet1.xml", sheet),
            ("xl/sharedStrings.xml", sst),
        ]:
            z.writestr(name, text)
    return out.getvalue()


def sparse_corner() -> bytes:
    """Cells A1 and XFD1048576 only: 1.6 KB that calamine would grow into a 512 GiB grid."""
    return workbook(HEADER_ROW + '<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>')


def lying_dimension() -> bytes:
    """Declares A1:B2, but a cell (its reference not written first) lies at XFD1048576."""
    return workbook(
        HEADER_ROW + '<row r="2"><c r="A2"><v>1</v></c></row><row><c t="n" r="XFD1048576"><v>1</v></c></row>', dimension="A1:B2"
    )


def deeply_nested_strings() -> bytes:
    """A shared string nested a million elements deep (15 KB zipped)."""
    depth = 1_000_000
    sst = f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{NS}" count="1" uniqueCount="1"><si>{"<r>" * depth}<t>x</t>{"</r>" * depth}</si></sst>'
    return workbook(HEADER_ROW, shared_strings=sst)


def laughing_strings() -> bytes:
    """Shared strings with a billion-laughs entity definition."""
    entities = '<!ENTITY a "aaaaaaaaaa">' + "".join(f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">' for i in range(9))
    sst = f'<?xml version="1.0" encoding="UTF-8"?><!DOCTYPE sst [{entities}]><sst xmlns="{NS}"><si><t>&j;</t></si></sst>'
    return workbook(HEADER_ROW, shared_strings=sst)


def within_bounds_but_huge() -> bytes:
    """Passes every bound on rows (500,000) and columns (200) with two cells, yet calamine's grid
    would be 100 million cells (3.2 GB): only the child's memory limit stops it."""
    return workbook(HEADER_ROW + '<row r="500000"><c r="GR500000"><v>1</v></c></row>')


HOSTILE = {
    "sparse corner": (sparse_corner, "1,048,576 rows"),
    "lying dimension": (lying_dimension, "XFD1048576"),
    "deeply nested shared strings": (deeply_nested_strings, "nested more than"),
    "billion laughs": (laughing_strings, "document type"),
    "within the bounds, too big for memory": (within_bounds_but_huge, "memory"),
}


@pytest.fixture
def writer(accounts):
    return accounts.client("33.75", ClientScope.read_write)


def dry_run_import(client, who, content: bytes):
    return client.post(
        IMPORTS, params={"mode": "dry_run"}, files={"file": ("data.xlsx", content, "application/octet-stream")}, headers=who.headers
    )


def file_error(r) -> str:
    """The row-0 file error of a 422 problem."""
    assert r.status_code == 422, r.text
    assert r.headers["content-type"] == "application/problem+json"
    body = r.json()
    [error] = body["errors"]
    assert error["row"] == 0
    return error["msg"]


def test_the_sparse_corner_workbook_is_tiny():
    assert len(sparse_corner()) < 2048


@pytest.mark.parametrize("name", list(HOSTILE))
def test_hostile_workbook_import_is_refused_and_the_server_keeps_serving(client, writer, name):
    build, expected = HOSTILE[name]
    content = build()
    started = time.monotonic()
    r = dry_run_import(client, writer, content)
    assert time.monotonic() - started < SECONDS
    assert expected in file_error(r)
    assert client.get("/healthz").status_code == 200


def test_hostile_workbook_import_by_a_village_operator(client, accounts):
    operator = accounts.user(Role.village_operator, "33.75.02.1008")
    started = time.monotonic()
    r = dry_run_import(client, operator, sparse_corner())
    assert time.monotonic() - started < SECONDS
    assert "rows" in file_error(r)
    assert client.get("/healthz").status_code == 200


@pytest.mark.parametrize("name", list(HOSTILE))
def test_hostile_registration_numbers_are_refused_and_the_server_keeps_serving(client, db, pekalongan, name):
    report_sk(db, KLEGO)  # registration follows the SK
    bid, _ = submitted_batch(client, pekalongan)
    build, expected = HOSTILE[name]
    started = time.monotonic()
    r = client.post(
        f"{BATCHES}/{bid}/numbers",
        params={"dry_run": "true"},
        files={"file": ("nomor.xlsx", build(), "application/octet-stream")},
        headers=pekalongan.headers,
    )
    assert time.monotonic() - started < SECONDS
    assert r.status_code == 422 and r.headers["content-type"] == "application/problem+json", r.text
    assert expected in r.text
    assert client.get("/healthz").status_code == 200


def test_the_parse_runs_under_the_configured_memory_limit(client, writer, monkeypatch):
    """A workbook within every bound (100 columns by 100,000 rows, a 320 MB grid) is read in a
    child process limited to the configured memory: with 64 MiB it cannot be read (a row-0 error
    that says so), and the server keeps serving."""
    content = workbook(HEADER_ROW + '<row r="100000"><c r="CV100000"><v>1</v></c></row>')
    monkeypatch.setattr(get_settings(), "spreadsheet_parse_memory_bytes", 64 * 1024 * 1024)
    message = file_error(dry_run_import(client, writer, content))
    assert message.startswith("The file cannot be read") and "64 MiB of memory" in message
    assert client.get("/healthz").status_code == 200


def test_a_workbook_past_the_configured_bounds_is_refused_with_the_bound(client, writer, monkeypatch):
    rows = "".join(
        f'<row r="{i}"><c r="A{i}" t="inlineStr"><is><t>33.75.02.1008</t></is></c><c r="B{i}" t="inlineStr"><is><t>P {i}</t></is></c></row>'
        for i in range(2, 12)
    )
    content = workbook(HEADER_ROW + rows)
    monkeypatch.setattr(get_settings(), "import_max_rows", 10)
    assert "11 rows, more than the 10" in file_error(dry_run_import(client, writer, content))
    monkeypatch.setattr(get_settings(), "import_max_rows", 11)
    monkeypatch.setattr(get_settings(), "import_max_columns", 1)
    assert "2 columns, more than the 1" in file_error(dry_run_import(client, writer, content))
    monkeypatch.setattr(get_settings(), "import_max_columns", 2)
    monkeypatch.setattr(get_settings(), "import_max_cells", 21)
    assert "more than 21 cells" in file_error(dry_run_import(client, writer, content))
    monkeypatch.setattr(get_settings(), "import_max_cells", 22)
    r = dry_run_import(client, writer, content)
    assert r.status_code == 200 and r.json()["rows"] == 10, r.text


def test_the_parse_is_stopped_past_the_configured_time(client, writer, monkeypatch):
    """A workbook within every bound whose 20-million-cell grid takes seconds to read: the child
    is killed past the wall-clock limit, or stopped by its processor-time limit."""
    content = workbook(HEADER_ROW + '<row r="200000"><c r="CV200000"><v>1</v></c></row>')
    monkeypatch.setattr(get_settings(), "spreadsheet_parse_timeout_seconds", 1)
    started = time.monotonic()
    message = file_error(dry_run_import(client, writer, content))
    assert time.monotonic() - started < SECONDS
    assert message.startswith("The file cannot be read") and "longer than the 1 s" in message
    monkeypatch.setattr(get_settings(), "spreadsheet_parse_timeout_seconds", 60)
    monkeypatch.setattr(get_settings(), "spreadsheet_parse_cpu_seconds", 1)
    message = file_error(dry_run_import(client, writer, content))
    assert message.startswith("The file cannot be read") and "1 s of processor time" in message
    assert client.get("/healthz").status_code == 200


def test_a_sheet_written_without_cell_references_is_read(client, writer):
    """References are optional in the format: such a sheet is checked element by element (cells
    placed as calamine places them) and read like any other."""
    rows = "".join(
        f'<row><c t="inlineStr"><is><t>33.75.02.1008</t></is></c><c t="inlineStr"><is><t>Posyandu {i}</t></is></c></row>' for i in range(5)
    )
    r = dry_run_import(
        client,
        writer,
        workbook('<row><c t="inlineStr"><is><t>region_code</t></is></c><c t="inlineStr"><is><t>name</t></is></c></row>' + rows),
    )
    assert r.status_code == 200 and r.json()["rows"] == 5, r.text


def test_parses_at_once_are_bounded(client, writer, monkeypatch):
    """Each child may use up to the memory limit, so a server process runs only so many at once;
    an upload that cannot get a turn within the timeout is a 503 (try again), not a pile-up."""
    from pembina import spreadsheets

    monkeypatch.setattr(get_settings(), "spreadsheet_parse_concurrency", 1)
    monkeypatch.setattr(get_settings(), "spreadsheet_parse_timeout_seconds", 1)
    content = workbook(
        HEADER_ROW
        + '<row r="2"><c r="A2" t="inlineStr"><is><t>33.75.02.1008</t></is></c><c r="B2" t="inlineStr"><is><t>P</t></is></c></row>'
    )
    slot = spreadsheets._slot(1)
    assert slot.acquire(timeout=5)  # another upload being read
    try:
        r = dry_run_import(client, writer, content)
        assert r.status_code == 503 and r.headers["retry-after"], r.text
    finally:
        slot.release()
    assert dry_run_import(client, writer, content).status_code == 200
    assert client.get("/healthz").status_code == 200
