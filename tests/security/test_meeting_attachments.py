"""Item 10: a meeting attachment is what it claims to be: a PDF is checked like a decree's
(`%PDF-` … `%%EOF`), and a name or declared type claiming another kind is refused (415)."""

from __future__ import annotations

import pytest

from tests.test_meetings_api import PDF, PNG, URL, _serang_rakor

HTML_PDF = b"%PDF-1.4\n<html><script>alert(1)</script></html>\n"  # no %%EOF: not a PDF


@pytest.mark.parametrize(
    "name, content, mime",
    [
        ("notulen.pdf", PNG, "application/pdf"),  # a PNG posing as a PDF by name and type
        ("notulen.pdf", PNG, "image/png"),  # ... by name
        ("foto", PNG, "application/pdf"),  # ... by declared type
        ("undangan.pdf", HTML_PDF, "application/pdf"),  # starts like a PDF, is not one
        ("undangan.html", PDF, "text/html"),  # a PDF that would be saved as a web page
        ("foto.png", PDF, "application/octet-stream"),
    ],
)
def test_attachment_claiming_another_kind_is_refused(client, serang, name, content, mime):
    m = _serang_rakor(client, serang)
    url = f"{URL}/{m['id']}/attachments"
    r = client.post(url, files={"file": (name, content, mime)}, headers=serang.headers)
    assert r.status_code == 415, r.text
    assert r.json()["type"] == "/problems/unsupported-media-type"
    assert client.get(url, headers=serang.headers).json() == []


def test_honest_attachments_are_accepted(client, serang):
    m = _serang_rakor(client, serang)
    url = f"{URL}/{m['id']}/attachments"
    for name, content, mime in [
        ("undangan.PDF", PDF, "application/pdf"),
        ("foto.png", PNG, "image/png"),
        ("scan", PDF, "application/octet-stream"),
    ]:
        r = client.post(url, files={"file": (name, content, mime)}, headers=serang.headers)
        assert r.status_code == 201, r.text
    assert len(client.get(url, headers=serang.headers).json()) == 3
