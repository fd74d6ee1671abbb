"""One CSV reader (pembina.kit.csvfile) for every CSV upload: `/imports` and the registration
numbers of a batch read the same file the same way."""

from __future__ import annotations

import csv
import io

import pytest

from pembina.imports import reader
from pembina.kit import csvfile
from pembina.kit.errors import UnsupportedMediaType
from pembina.posyandu.registration import batch_files

#: `;`-separated, and every line (the header too) holds one comma. Before, the registration
#: upload read it with csv.Sniffer, which took `,` (two regular candidates: `,` is preferred),
#: while /imports counted the header's delimiters and took `;`.
DISPUTED = "posyandu_id;nomor_registrasi;catatan (desa, kecamatan)\n12;33.75.02.1008.0001;Klego, Pekalongan Timur\n".encode()
DISPUTED_ROWS = [["posyandu_id", "nomor_registrasi", "catatan (desa, kecamatan)"], ["12", "33.75.02.1008.0001", "Klego, Pekalongan Timur"]]


def read(content: bytes) -> list[list[str]]:
    return list(csvfile.rows(io.BytesIO(content)))


def test_the_disputed_file_is_read_the_same_by_both_uploads():
    sniffed = csv.Sniffer().sniff(DISPUTED.decode(), delimiters=",;\t").delimiter
    assert sniffed == ","  # what the registration upload used to read it with
    assert read(DISPUTED) == DISPUTED_ROWS
    assert list(reader.rows(io.BytesIO(DISPUTED))) == DISPUTED_ROWS
    assert batch_files.read_table(DISPUTED) == DISPUTED_ROWS


@pytest.mark.parametrize(
    "content, expected",
    [
        (b"a,b\n1,2\n", [["a", "b"], ["1", "2"]]),
        (b"a;b\n1;2,5\n", [["a", "b"], ["1", "2,5"]]),
        (b"a\tb\n1\t2;3\n", [["a", "b"], ["1", "2;3"]]),
        ("\ufeffa;b\r\n 1 ; 2 \r\n".encode(), [["a", "b"], ["1", "2"]]),  # a BOM, CRLF, cells trimmed
        (b"\n\na;b\n1;2\n", [[], [], ["a", "b"], ["1", "2"]]),  # the first non-blank line is the header
        (b'"a, x";"b, y";c\n1;2;3\n', [["a, x", "b, y", "c"], ["1", "2", "3"]]),  # quoted commas do not count
        (b"a,b;c\n1,2;3\n", [["a", "b;c"], ["1", "2;3"]]),  # a tie goes to ','
        (b"single\nvalue, with comma\n", [["single"], ["value", "with comma"]]),  # no delimiter in the header: ','
    ],
)
def test_delimiter_and_rows(content, expected):
    assert read(content) == expected


def test_binary_and_non_utf8_files():
    with pytest.raises(UnsupportedMediaType):
        read(b"\x00\x01\x02binary")
    with pytest.raises(csvfile.UnreadableCsv, match="not UTF-8"):
        read(b"region_code,name\n\xff\xfe broken\n")
    late = b"a,b\n" + b"x,y\n" * 5000 + b"\xff\xfe,z\n"  # past the sample: found while streaming
    with pytest.raises(csvfile.UnreadableCsv, match=r"not UTF-8 text \(near line"):
        read(late)
    # a NUL in a data row is a cell's business (the imports report it per cell)
    assert read(b"a,b\n1,x\x00y\n") == [["a", "b"], ["1", "x\x00y"]]


def test_header_names_are_normalised_one_way():
    assert csvfile.normalise_header("  Nomor   Registrasi ") == "nomor_registrasi"
    assert csvfile.normalise_header("ID Posyandu (Pembina)") == "id_posyandu_(pembina)"
