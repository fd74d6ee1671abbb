"""The stored-file kit (pembina.kit.files): one sniffer, one name rule, one size cap, one sha256
for decree scans, posyandu documents and meeting attachments."""

from __future__ import annotations

import hashlib
import io

import pytest

from pembina.kit import files
from pembina.kit.errors import PayloadTooLarge, UnsupportedMediaType, ValidationProblem
from pembina.kit.tabular import XLSX

PDF = b"%PDF-1.4\n% evidence\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 32


@pytest.mark.parametrize(
    "data, name, kind",
    [
        (PDF, "sk.pdf", files.PDF),
        (PDF, None, files.PDF),  # the bytes decide, with or without a name
        (b"%PDF-1.4\n<html>no trailer</html>", "sk.pdf", None),  # starts like a PDF, is not one
        (b"<html>%PDF-1.4</html>%%EOF", "sk.pdf", None),
        (PDF[:-6] + b"0" * 2048 + b"%%EOF\n", "sk.pdf", files.PDF),  # the trailer near the end
        (PDF + b"0" * 2048, "sk.pdf", None),  # ... not anywhere
        (PNG, "foto.png", files.PNG),
        (JPEG, "foto.jpg", files.JPEG),
        (b"PK\x03\x04 zip", "kader.xlsx", XLSX),
        (b"PK\x03\x04 zip", "kader.zip", None),  # a ZIP is an XLSX only by its name
        (b"nama,umur\nA,30\n", "kader.csv", files.CSV),
        (b"nama,umur\nA,30\n", "kader.txt", None),
        (b"nama\x00umur\n", "kader.csv", None),  # NUL: not text
        (b"\xff\xfe not utf8", "kader.csv", None),
        (b"just text", "sk.pdf", None),
        (b"", "sk.pdf", None),
    ],
)
def test_sniff_judges_the_bytes(data, name, kind):
    assert files.sniff(data, name) == kind


@pytest.mark.parametrize(
    "name, expected",
    [
        ("sk klego.pdf", "sk klego.pdf"),
        ("C:\\Users\\op\\scan.pdf", "scan.pdf"),  # a browser's Windows path
        ("../../etc/passwd", "passwd"),
        ('sk\r\nX-Evil: 1".pdf', "sk__X-Evil: 1_.pdf"),  # control characters and the quote become _
        ("a\x00b\x7f.pdf", "a_b_.pdf"),
        ("x" * 300 + ".pdf", "x" * 255),
        ("", "fallback.pdf"),
        (None, "fallback.pdf"),
        ("dir/", "dir"),
        ("/", "fallback.pdf"),
    ],
)
def test_safe_name(name, expected):
    """The rule the posyandu documents and meeting attachments always had (last path part, control
    characters and `"` replaced, 255 characters, a default), now decree scans' too (they only cut
    the path and the length before)."""
    assert files.safe_name(name, "fallback.pdf") == expected


@pytest.mark.parametrize(
    "kind, name, declared, ok",
    [
        (files.PDF, "undangan.PDF", "application/pdf", True),
        (files.PDF, "scan", "application/octet-stream", True),
        (files.PDF, None, None, True),
        (files.JPEG, "foto.jpeg", "image/jpg", True),  # an alias of image/jpeg
        (files.PDF, "foto.png", "application/octet-stream", False),
        (files.PNG, "foto", "application/pdf", False),
        (files.PDF, "undangan.html", "text/html", False),
    ],
)
def test_claims_must_match_the_content(kind, name, declared, ok):
    assert files.claims_match(kind, name, declared) is ok


def test_accept_caps_refuses_and_hashes():
    kinds = {files.PDF}
    up = files.accept(PDF, "dir\\sk.pdf", limit=1024, kinds=kinds, refusal="no", default_name="d.pdf")
    assert (up.name, up.content_type, up.size, up.content) == ("sk.pdf", files.PDF, len(PDF), PDF)
    assert up.sha256 == hashlib.sha256(PDF).hexdigest()
    with pytest.raises(PayloadTooLarge) as big:
        files.accept(PDF, "sk.pdf", limit=len(PDF) - 1, kinds=kinds, refusal="no", default_name="d.pdf")
    assert big.value.body("/x")["max_bytes"] == len(PDF) - 1
    with pytest.raises(ValidationProblem):
        files.accept(b"", "sk.pdf", limit=1024, kinds=kinds, refusal="no", default_name="d.pdf")
    with pytest.raises(UnsupportedMediaType):  # a decree: an empty file is not a PDF
        files.accept(b"", "sk.pdf", limit=1024, kinds=kinds, refusal="no", default_name="d.pdf", empty=None)
    with pytest.raises(UnsupportedMediaType) as wrong:
        files.accept(PNG, "sk.png", limit=1024, kinds=kinds, refusal="Only a PDF.", default_name="d.pdf")
    assert wrong.value.detail == "Only a PDF."


def test_read_capped_stops_past_the_limit():
    assert files.read_capped(io.BytesIO(b"x" * 10), 10) == b"x" * 10
    with pytest.raises(PayloadTooLarge):
        files.read_capped(io.BytesIO(b"x" * 11), 10)
