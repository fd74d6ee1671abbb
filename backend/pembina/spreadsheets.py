"""Rows of an uploaded workbook (XLSX, or XLS), read in a child process with hard limits.

The server never parses a workbook itself: python-calamine is native code that can abort the
whole process (see `pembina.spreadsheet_worker`). The upload is copied to a temporary file, a
child (`python -m pembina.spreadsheet_worker`) checks it and parses it under an address-space,
processor-time and file-size limit it sets on itself, the parent waits with a wall-clock timeout
(killing the child past it) and then streams the rows back from the child's output file, many
rows per chunk. Whatever goes wrong in the child is an `UnreadableSpreadsheet` with a message for
the person who sent the file; the server keeps serving. At most `spreadsheet_parse_concurrency`
children run at once in a server process (the others wait), so parallel uploads cannot add up to
more memory than that many times the limit.

CSV files are not read here: Python's csv module reads them as a stream and cannot abort the
process. Used by the imports (`pembina.imports.reader`) and the registration numbers upload
(`pembina.posyandu.registration.batch_files`); imports neither."""

from __future__ import annotations

import json
import marshal
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from pembina.kit.i18n import tr
from pembina.config import get_settings
from pembina.kit.errors import ServiceUnavailable
from pembina.spreadsheet_worker import EXIT_NO_MEMORY, EXIT_REFUSED

ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0"
#: The directory holding the `pembina` package, put on the child's module path.
_PACKAGE_ROOT = str(Path(__file__).resolve().parents[1])


class UnreadableSpreadsheet(Exception):
    """The workbook is refused or cannot be read; `message` is for the person who sent it."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def is_workbook(head: bytes) -> bool:
    """Whether a file starting with `head` is a workbook (a zip: XLSX; an OLE file: XLS)."""
    return head.startswith(ZIP_MAGIC) or head.startswith(OLE_MAGIC)


def _mib(n: int) -> str:
    return f"{n / 2**30:,.1f} GiB" if n >= 2**30 else f"{n / 2**20:,.0f} MiB"


def _failure(rc: int, stderr: bytes) -> str:
    s = get_settings()
    memory = (
        f"The file cannot be read: reading it needed more than the {_mib(s.spreadsheet_parse_memory_bytes)} of memory an import may use "
        "(a sheet with cells far away from the data, or a very large sheet). Delete the empty rows and columns away from the data "
        "or save the sheet as CSV, and send it again."
    )
    if rc == EXIT_NO_MEMORY or b"memory allocation" in stderr or b"MemoryError" in stderr:
        return memory
    if rc == -signal.SIGXCPU:
        return (
            f"The file cannot be read: reading it took more than the {s.spreadsheet_parse_cpu_seconds:,} s of processor time an import may use. "
            "Save the sheet as CSV or split it, and send it again."
        )
    if rc == -signal.SIGXFSZ:
        return "The file cannot be read: the sheet holds more text than an import may read. Save the sheet as CSV or split it, and send it again."
    if rc == -signal.SIGKILL:
        return "The file cannot be read: the spreadsheet reader was stopped (it needed more memory or time than an import may use). Save the sheet as CSV or split it, and send it again."
    return f"The file cannot be read: the spreadsheet reader stopped on it (status {rc}); the file is damaged or not a spreadsheet."


_slots_lock = threading.Lock()
_slots: dict[int, threading.BoundedSemaphore] = {}


def _slot(size: int) -> threading.BoundedSemaphore:
    """The semaphore bounding how many children this process runs at once."""
    with _slots_lock:
        return _slots.setdefault(size, threading.BoundedSemaphore(size))


def _chunks(out: BinaryIO) -> Iterator[list[str]]:
    """The rows of the child's output: chunks of an 8-byte length and marshalled rows (marshal
    of bytes in memory: reading a file through marshal.load is ten times slower)."""
    with out:
        while len(size := out.read(8)) == 8:
            yield from marshal.loads(out.read(int.from_bytes(size, "little")))


def workbook_rows(stream: BinaryIO) -> Iterator[list[str]]:
    """The rows of the workbook's first sheet, cells as trimmed strings. The whole file is
    checked and parsed (in the child) before this returns; raises UnreadableSpreadsheet."""
    s = get_settings()
    limits = {
        "max_rows": s.import_max_rows,
        "max_columns": s.import_max_columns,
        "max_cells": s.import_max_cells,
        "max_xml_bytes": s.import_max_xlsx_xml_bytes,
        "max_depth": s.spreadsheet_max_xml_depth,
        "max_output_bytes": s.import_max_xlsx_xml_bytes,
        "memory_bytes": s.spreadsheet_parse_memory_bytes,
        "cpu_seconds": s.spreadsheet_parse_cpu_seconds,
    }
    folder = tempfile.mkdtemp(prefix="pembina-sheet-")
    try:
        source, target = os.path.join(folder, "in"), os.path.join(folder, "rows")
        stream.seek(0)
        with open(source, "wb") as f:
            shutil.copyfileobj(stream, f, 1 << 20)
        stream.seek(0)
        env = {
            **os.environ,
            "PYTHONPATH": os.pathsep.join(p for p in (_PACKAGE_ROOT, os.environ.get("PYTHONPATH", "")) if p),
            "RUST_BACKTRACE": "0",  # a native abort says why in one line
        }
        slot = _slot(s.spreadsheet_parse_concurrency)
        if not slot.acquire(timeout=s.spreadsheet_parse_timeout_seconds):
            raise ServiceUnavailable(
                "Too many spreadsheets are being read right now. Try again shortly.",
                "Terlalu banyak lembar kerja sedang dibaca. Coba lagi sebentar lagi.",
                headers={"Retry-After": "30"},
            )
        try:
            done = subprocess.run(
                [sys.executable, "-m", "pembina.spreadsheet_worker", json.dumps(limits), source, target],
                stdin=subprocess.DEVNULL,
                capture_output=True,
                cwd=folder,
                env=env,
                timeout=s.spreadsheet_parse_timeout_seconds,
            )
        except OSError:  # no process could be started (the machine is out of processes or memory)
            raise ServiceUnavailable(
                "Spreadsheets cannot be read right now. Try again shortly.",
                "Lembar kerja tidak dapat dibaca saat ini. Coba lagi sebentar lagi.",
                headers={"Retry-After": "5"},
            ) from None
        except subprocess.TimeoutExpired:  # the child is killed by subprocess.run
            raise UnreadableSpreadsheet(
                tr(
                    f"The file cannot be read: reading it took longer than the {s.spreadsheet_parse_timeout_seconds:,} s an import may take. "
                    "Save the sheet as CSV or split it, and send it again.",
                    f"Berkas tidak dapat dibaca: membacanya memakan waktu lebih dari {s.spreadsheet_parse_timeout_seconds:,} detik yang "
                    "diizinkan untuk impor. Simpan lembar kerja sebagai CSV atau pecah, lalu kirim lagi.",
                )
            ) from None
        finally:
            slot.release()
        if done.returncode == EXIT_REFUSED:
            try:
                message = str(json.loads(done.stdout)["message"])
            except (ValueError, KeyError, TypeError):
                message = tr("The file cannot be read.", "Berkas tidak dapat dibaca.")
            raise UnreadableSpreadsheet(message)
        if done.returncode != 0 or not os.path.exists(target):
            raise UnreadableSpreadsheet(_failure(done.returncode, done.stderr[:65536]))
        out = open(target, "rb")  # noqa: SIM115 - closed by _chunks; the name goes with the folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return _chunks(out)
