"""Delivery of the built dashboard (pembina.delivery): precompressed variants chosen by
Accept-Encoding, year-long caching of hashed assets, revalidation of index.html, conditional
requests, and no file outside the build ever served. A small fake build in a temporary folder."""

from __future__ import annotations

import gzip
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from pembina.config import Settings
from pembina.main import create_app

SCRIPT = b"export const hello = 'Pembina';\n" * 200
STYLE = b".m_1 { color: teal; }\n" * 200
INDEX = b"<!doctype html><html lang='id'><title>Pembina</title><div id='root'></div></html>\n"
#: Python may lack brotli: the build (node) writes the .br files; a stand-in marks which one was sent
BROTLI_STANDIN = b"\x1b brotli bytes of the script"
SECRET = b"not part of the build"
WORKER = b"self.addEventListener('fetch', () => {});\n"

IMMUTABLE = "public, max-age=31536000, immutable"


@pytest.fixture(scope="module")
def dist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("delivery")
    (base / "secret.txt").write_bytes(SECRET)  # beside the build, never served
    dist = base / "dist"
    assets = dist / "assets"
    assets.mkdir(parents=True)
    (dist / "index.html").write_bytes(INDEX)
    (dist / "robots.txt").write_bytes(b"User-agent: *\n")
    (dist / "sw.js").write_bytes(WORKER)
    (assets / "index-AbC123.js").write_bytes(SCRIPT)
    (assets / "index-AbC123.js.gz").write_bytes(gzip.compress(SCRIPT))
    (assets / "index-AbC123.js.br").write_bytes(BROTLI_STANDIN)
    (assets / "style-XyZ789.css").write_bytes(STYLE)  # gzip only: no brotli variant was built
    (assets / "style-XyZ789.css.gz").write_bytes(gzip.compress(STYLE))
    (assets / "logo-Q1w2E3.png").write_bytes(b"\x89PNG\r\n\x1a\n fake")  # no variants at all
    return dist


@pytest.fixture(scope="module")
def web(dist: Path) -> Iterator[TestClient]:
    app = create_app(Settings(database_url="sqlite://", jwt_secret=os.environ["PEMBINA_JWT_SECRET"], frontend_dist=dist))
    with TestClient(app, base_url="http://testserver", raise_server_exceptions=False) as client:
        yield client


def fetch(web: TestClient, path: str, **headers: str) -> tuple[Any, bytes]:
    """GET `path` and return the response with its body as sent on the wire (not decoded)."""
    with web.stream("GET", path, headers=headers) as response:
        return response, b"".join(response.iter_raw())


@pytest.mark.parametrize(
    ("accept", "coding"),
    [
        ("gzip, deflate, br, zstd", "br"),  # what Chromium sends: brotli preferred
        ("br", "br"),
        ("gzip, deflate", "gzip"),
        ("x-gzip", "gzip"),
        ("gzip;q=1.0, br;q=0.5", "gzip"),  # the client's weights win over the server's order
        ("br;q=0, gzip", "gzip"),  # q=0: not acceptable
        ("*", "br"),
        ("*;q=0.5, br;q=0", "gzip"),  # the wildcard covers what is not named
        ("identity", None),
        ("", None),
        ("br;q=0, gzip;q=0", None),
        ("*;q=0", None),
        ("deflate", None),
        ("br;q=oops, gzip;q=0.1", "gzip"),  # an unreadable weight counts as 0
    ],
)
def test_the_script_goes_out_in_the_best_coding_the_browser_accepts(web: TestClient, accept: str, coding: str | None) -> None:
    response, body = fetch(web, "/assets/index-AbC123.js", **{"Accept-Encoding": accept})

    assert response.status_code == 200
    assert response.headers.get("content-encoding") == coding
    assert response.headers["content-type"].startswith("text/javascript")
    assert response.headers["vary"] == "Accept-Encoding"
    assert response.headers["cache-control"] == IMMUTABLE
    assert int(response.headers["content-length"]) == len(body)
    if coding == "br":
        assert body == BROTLI_STANDIN
    elif coding == "gzip":
        assert gzip.decompress(body) == SCRIPT and len(body) < len(SCRIPT)
    else:
        assert body == SCRIPT


def test_a_missing_variant_falls_back_to_the_next_one_or_the_file_itself(web: TestClient) -> None:
    response, body = fetch(web, "/assets/style-XyZ789.css", **{"Accept-Encoding": "br, gzip"})
    assert response.headers["content-encoding"] == "gzip"
    assert gzip.decompress(body) == STYLE
    assert response.headers["content-type"].startswith("text/css")

    response, body = fetch(web, "/assets/style-XyZ789.css", **{"Accept-Encoding": "br"})
    assert "content-encoding" not in response.headers
    assert body == STYLE
    assert response.headers["vary"] == "Accept-Encoding"
    assert response.headers["cache-control"] == IMMUTABLE

    # a file with no variant at all does not vary
    response, body = fetch(web, "/assets/logo-Q1w2E3.png", **{"Accept-Encoding": "gzip, br"})
    assert response.status_code == 200
    assert "content-encoding" not in response.headers and "vary" not in response.headers
    assert response.headers["content-type"] == "image/png"
    assert response.headers["cache-control"] == IMMUTABLE


def test_each_coding_has_its_own_etag_and_a_current_copy_gets_304(web: TestClient) -> None:
    tags = {}
    for accept in ("br", "gzip", "identity"):
        response, _ = fetch(web, "/assets/index-AbC123.js", **{"Accept-Encoding": accept})
        tags[accept] = response.headers["etag"]
        assert response.headers["last-modified"]
    assert len(set(tags.values())) == 3

    response, body = fetch(web, "/assets/index-AbC123.js", **{"Accept-Encoding": "gzip, br", "If-None-Match": tags["br"]})
    assert response.status_code == 304
    assert body == b""
    assert response.headers["etag"] == tags["br"]
    assert response.headers["vary"] == "Accept-Encoding"
    assert response.headers["cache-control"] == IMMUTABLE

    # the gzip copy does not validate the brotli answer
    response, _ = fetch(web, "/assets/index-AbC123.js", **{"Accept-Encoding": "gzip, br", "If-None-Match": tags["gzip"]})
    assert response.status_code == 200
    assert response.headers["content-encoding"] == "br"


def test_head_of_an_asset_tells_the_size_of_what_a_get_would_send(web: TestClient) -> None:
    response = web.head("/assets/index-AbC123.js", headers={"Accept-Encoding": "br"})
    assert response.status_code == 200
    assert response.headers["content-encoding"] == "br"
    assert response.headers["content-length"] == str(len(BROTLI_STANDIN))
    assert response.content == b""


def test_index_and_client_side_routes_are_revalidated_on_every_visit(web: TestClient) -> None:
    for path in ("/", "/login", "/regions/33.75", "/posyandu/12/edit"):
        response, body = fetch(web, path, **{"Accept-Encoding": "gzip, br"})
        assert response.status_code == 200, path
        assert body == INDEX
        assert response.headers["content-type"].startswith("text/html")
        assert response.headers["cache-control"] == "no-cache"
        assert "content-encoding" not in response.headers

    etag = response.headers["etag"]
    response, body = fetch(web, "/login", **{"If-None-Match": etag})
    assert response.status_code == 304
    assert body == b""
    assert response.headers["cache-control"] == "no-cache"

    # another file of the build's root (not hashed): served, revalidated too
    response, body = fetch(web, "/robots.txt")
    assert body == b"User-agent: *\n"
    assert response.headers["cache-control"] == "no-cache"


def test_the_service_worker_is_served_from_the_root_and_revalidated_on_every_visit(web: TestClient) -> None:
    """Its scope is the whole dashboard (the script's own folder, /), and a release's new worker is
    seen at once: `no-cache`, never the year-long caching of /assets."""
    response, body = fetch(web, "/sw.js", **{"Accept-Encoding": "gzip, br", "Service-Worker": "script"})
    assert response.status_code == 200
    assert body == WORKER
    assert response.headers["content-type"].split(";")[0] in ("text/javascript", "application/javascript")
    assert response.headers["cache-control"] == "no-cache"
    assert "service-worker-allowed" not in response.headers  # its default scope, /, is the one it needs

    response, body = fetch(web, "/sw.js", **{"If-None-Match": response.headers["etag"]})
    assert response.status_code == 304
    assert response.headers["cache-control"] == "no-cache"


@pytest.mark.parametrize("path", ["/workbox-0a1b2c.js", "/sw.mjs", "/registerSW.js", "/sw.js.map"])
def test_a_script_missing_at_the_root_is_a_404_not_the_index(web: TestClient, path: str) -> None:
    response = web.get(path)
    assert response.status_code == 404
    assert INDEX not in response.content
    assert response.headers["content-type"].startswith("application/problem+json")


def test_a_missing_asset_is_a_404_not_the_index_under_a_scripts_name(web: TestClient) -> None:
    response = web.get("/assets/index-Old999.js")
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("application/problem+json")
    assert "immutable" not in response.headers.get("cache-control", "")


@pytest.mark.parametrize(
    "path",
    [
        "/assets/..%2fsecret.txt",
        "/assets/..%2f..%2fsecret.txt",
        "/assets/%2e%2e/%2e%2e/secret.txt",
        "/assets/..%2F..%2Fsecret.txt.gz",
        "/..%2fsecret.txt",
        "/%2e%2e/secret.txt",
        "/assets/..%5c..%5csecret.txt",
    ],
)
def test_nothing_outside_the_build_is_ever_sent(web: TestClient, path: str) -> None:
    response, body = fetch(web, path, **{"Accept-Encoding": "gzip, br"})
    assert SECRET not in body
    assert response.status_code in (200, 404)
    if response.status_code == 200:  # a client-side route: the index, never the file
        assert body == INDEX


def test_a_variant_outside_the_build_is_not_followed(web: TestClient, dist: Path, tmp_path: Path) -> None:
    """A .gz beside the asset that points (by a symbolic link) outside the build is not sent."""
    outside = tmp_path / "outside.gz"
    outside.write_bytes(gzip.compress(SECRET))
    (dist / "assets" / "linked-Zz0.js").write_bytes(SCRIPT)
    link = dist / "assets" / "linked-Zz0.js.gz"
    link.symlink_to(outside)
    try:
        response, body = fetch(web, "/assets/linked-Zz0.js", **{"Accept-Encoding": "gzip"})
        assert body == SCRIPT
        assert "content-encoding" not in response.headers
    finally:
        link.unlink()
