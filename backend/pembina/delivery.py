"""Delivery of the built dashboard: compressed, and cached as long as it safely can be.

The build (frontend/vite.config.ts) writes `name.br` and `name.gz` beside every text asset under
dist/assets. `/assets/*` sends the best variant the request's Accept-Encoding allows (brotli, then
gzip, else the file itself) with Content-Encoding, `Vary: Accept-Encoding` and the original file's
Content-Type; those files are named by the hash of their content, so they are cached for a year
(`immutable`). index.html (and every client-side route, which is answered with it) is `no-cache`:
the browser revalidates it on each visit (ETag, 304) and so always learns of a new release. The
service worker (`/sw.js`, built from frontend/src/sw.ts) is served the same way from the root, so
that its scope is the whole dashboard and the browser sees a new worker with each release; a
script missing at the root is a 404, never index.html under its name.
Nothing is compressed per request: where a variant is missing the plain file is sent.
"""

from __future__ import annotations

import mimetypes
import os
import stat
from collections.abc import Iterable
from email.utils import parsedate

from starlette.datastructures import Headers
from starlette.responses import FileResponse, Response
from starlette.staticfiles import NotModifiedResponse, PathLike, StaticFiles
from starlette.types import Scope

#: Hashed build output: never changes under its name.
IMMUTABLE = "public, max-age=31536000, immutable"
#: index.html and other unhashed files: always revalidated.
REVALIDATE = "no-cache"

#: Files at the build's root that are scripts: never answered with index.html when missing.
SCRIPT_SUFFIXES: tuple[str, ...] = (".js", ".mjs", ".map")

#: Precompressed variants, in the server's order of preference, with their file suffix.
VARIANTS: tuple[tuple[str, str], ...] = (("br", ".br"), ("gzip", ".gz"))


def accepted_codings(header: str | None) -> dict[str, float]:
    """Accept-Encoding as {coding: q} (lower-case; `x-gzip` counts as gzip; a bad q is 0)."""
    codings: dict[str, float] = {}
    for part in (header or "").split(","):
        name, _, params = part.partition(";")
        name = name.strip().lower()
        if not name:
            continue
        q = 1.0
        for param in params.split(";"):
            key, _, value = param.partition("=")
            if key.strip().lower() == "q":
                try:
                    q = min(max(float(value.strip()), 0.0), 1.0)
                except ValueError:
                    q = 0.0
        codings["gzip" if name == "x-gzip" else name] = q
    return codings


def choose_coding(header: str | None, available: Iterable[str]) -> str | None:
    """The content coding to send among `available` (br, gzip), or None for the file itself.

    A coding is acceptable when the header lists it with q > 0, or lists `*` with q > 0 and not the
    coding itself; the highest q wins, ties going to the server's preference (brotli, then gzip).
    """
    q = accepted_codings(header)
    wildcard = q.get("*", 0.0)
    best: str | None = None
    best_q = 0.0
    for coding, _suffix in VARIANTS:
        if coding not in available:
            continue
        weight = q.get(coding, wildcard)
        if weight > best_q:
            best, best_q = coding, weight
    return best


def _regular_file(path: str, roots: list[str]) -> os.stat_result | None:
    """The file's stat if it is a regular file that lies (links resolved) under one of `roots`."""
    real = os.path.realpath(path)
    if not any(os.path.commonpath([root, real]) == root for root in roots):
        return None
    try:
        st = os.stat(real)
    except OSError:
        return None
    return st if stat.S_ISREG(st.st_mode) else None


class PrecompressedStaticFiles(StaticFiles):
    """StaticFiles (path checks, ETag and Last-Modified, 304) that sends a precompressed variant
    when the client accepts it, and marks every answer cacheable for a year."""

    def __init__(self, *, directory: PathLike, cache_control: str = IMMUTABLE) -> None:
        super().__init__(directory=directory)
        self.cache_control = cache_control

    def file_response(self, full_path: PathLike, stat_result: os.stat_result, scope: Scope, status_code: int = 200) -> Response:
        request_headers = Headers(scope=scope)
        path = os.fspath(full_path)
        media_type = mimetypes.guess_type(path)[0] or "text/plain"
        roots = [os.path.realpath(d) for d in self.all_directories]
        variants: dict[str, tuple[str, os.stat_result]] = {}
        for coding, suffix in VARIANTS:
            found = _regular_file(path + suffix, roots)
            if found is not None:
                variants[coding] = (path + suffix, found)
        headers = {"Cache-Control": self.cache_control}
        if variants:
            headers["Vary"] = "Accept-Encoding"
        chosen = choose_coding(request_headers.get("accept-encoding"), variants)
        if chosen is not None:
            path, stat_result = variants[chosen]
            headers["Content-Encoding"] = chosen
        # the variant's own size and date make its ETag: each encoding is validated separately
        response = FileResponse(path, status_code=status_code, stat_result=stat_result, media_type=media_type, headers=headers)
        if not_modified(response.headers, request_headers):
            return NotModifiedResponse(response.headers)
        return response


def not_modified(response_headers: Headers, request_headers: Headers) -> bool:
    """The browser's copy is current (If-None-Match, else If-Modified-Since): StaticFiles' rule."""
    if_none_match = request_headers.get("if-none-match")
    if if_none_match:
        return if_none_match.strip() == "*" or response_headers.get("etag") in [
            t.strip().removeprefix("W/") for t in if_none_match.split(",")
        ]
    since = parsedate(request_headers.get("if-modified-since", ""))
    modified = parsedate(response_headers.get("last-modified", ""))
    return since is not None and modified is not None and since >= modified


def revalidated_file(path: PathLike, request_headers: Headers) -> Response:
    """An unhashed file (index.html): `no-cache`, and a 304 when the browser's copy is current."""
    response = FileResponse(path, headers={"Cache-Control": REVALIDATE}, stat_result=os.stat(path))
    if not_modified(response.headers, request_headers):
        return NotModifiedResponse(response.headers)
    return response
