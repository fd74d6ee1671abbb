"""Reading an uploaded CSV file, one way for every upload that takes one (`/imports`, the
registration numbers of a batch), so that the same file is read the same everywhere.

* Encoding: UTF-8, with or without the byte-order mark spreadsheet programs write.
* Delimiter: `,`, `;` or tab, whichever the header (the first non-blank line) holds most often
  outside double quotes; a tie goes to `,`, then `;`. The header decides because it is the line
  every upload must read right, and because a data row's text (an address, "imunisasi, kb") may
  hold any of them. (`csv.Sniffer` weighs every line of a sample instead and prefers `,` whenever
  two candidates look equally regular: a `;` file whose every line holds one comma is read as
  `,`.)
* Rows: streamed through the csv module (never the whole file as Python objects), each cell
  trimmed.

A binary file (NUL in its header) is a 415; a file that is not UTF-8 or not CSV raises
`UnreadableCsv`, which each upload reports in its own way.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from typing import BinaryIO

from pembina.kit.i18n import tr
from pembina.kit.errors import UnsupportedMediaType

#: The delimiters recognised, in the order that breaks a tie.
DELIMITERS = ",;\t"
#: How much text is looked at for the header line.
SAMPLE_CHARS = 8192
_QUOTED = re.compile(r'"[^"]*"')


class UnreadableCsv(Exception):
    """The file cannot be read as CSV; `message` says why, for the uploader."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def delimiter_of(header: str) -> str:
    """The delimiter the header line uses most often outside double-quoted text (`,` when none)."""
    bare = _QUOTED.sub("", header)
    return max(DELIMITERS, key=bare.count)


def normalise_header(h: str) -> str:
    """A header cell as uploads match it: trimmed, lower case, each run of spaces one `_`
    ("Nomor Registrasi" -> "nomor_registrasi")."""
    return "_".join(h.strip().lower().split())


def rows(stream: BinaryIO) -> Iterator[list[str]]:
    """Every row of the file, cells as trimmed strings (blank rows as they are: `[]`).

    A generator: the 415 for a binary file and `UnreadableCsv` come with the first row asked for
    (or later, for a fault further on)."""
    text = io.TextIOWrapper(stream, encoding="utf-8-sig", newline="")
    try:
        sample = text.read(SAMPLE_CHARS)
    except UnicodeDecodeError:
        raise UnreadableCsv(tr("The CSV file is not UTF-8 text.", "Berkas CSV bukan teks UTF-8.")) from None
    header = next((line for line in sample.splitlines() if line.strip()), "")
    if "\x00" in header:  # a binary file, not text (imports and registration numbers also take XLSX)
        raise UnsupportedMediaType("Send an XLSX or a UTF-8 CSV file.", "Kirim berkas XLSX atau CSV UTF-8.")
    text.seek(0)
    reader = csv.reader(text, delimiter=delimiter_of(header))
    try:
        for row in reader:
            yield list(map(str.strip, row))
    except UnicodeDecodeError:
        raise UnreadableCsv(
            tr(
                f"The CSV file is not UTF-8 text (near line {reader.line_num + 1}).",
                f"Berkas CSV bukan teks UTF-8 (di sekitar baris {reader.line_num + 1}).",
            )
        ) from None
    except csv.Error as e:
        raise UnreadableCsv(
            tr(
                f"The CSV file cannot be read near line {reader.line_num}: {e}.",
                f"Berkas CSV tidak dapat dibaca di sekitar baris {reader.line_num}: {e}.",
            )
        ) from None
