"""Browser-facing protections: the Origin check of cookie-authenticated writes, and the security
headers of every response (Content-Security-Policy, framing, referrer, HSTS).

The dashboard authenticates with an HttpOnly SameSite=Strict cookie; a state-changing request
that the cookie authenticates must also come from the service's own origin (its `Origin`, or
failing that its `Referer`): the service's public origin(s) when `PEMBINA_PUBLIC_ORIGIN` is set,
else the request's own scheme and Host. Bearer-token callers (integrators) are not affected.
"""

from __future__ import annotations

import base64
import hashlib
import re
from typing import Any
from urllib.parse import urlsplit

from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from pembina.config import Settings, get_settings
from pembina.kit.errors import Forbidden

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})


def _origin_of(url: str) -> str | None:
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if not parts.scheme or not parts.netloc:
        return None
    return f"{parts.scheme}://{parts.netloc}".lower()


def own_origins(request: Request, settings: Settings | None = None) -> set[str]:
    configured = (settings or get_settings()).public_origin
    if configured.strip():
        return {o.rstrip("/").lower() for o in re.split(r"[,\s]+", configured.strip()) if o}
    host = request.headers.get("host", "")
    schemes = {request.url.scheme}
    forwarded = request.headers.get("x-forwarded-proto", "").split(",")[0].strip()
    if forwarded:
        schemes.add(forwarded)
    return {f"{s}://{host}".lower() for s in schemes}


def check_same_origin(request: Request) -> None:
    """Refuse (403) a state-changing request whose Origin (or, without one, Referer) is not the
    service's own; one with neither is refused too (browsers send Origin on every such request)."""
    if request.method in SAFE_METHODS:
        return
    origin = request.headers.get("origin")
    source = _origin_of(origin) if origin and origin != "null" else None
    if origin is None:
        referer = request.headers.get("referer")
        source = _origin_of(referer) if referer else None
    if source is None or source not in own_origins(request):
        raise Forbidden(
            "A state-changing request authenticated by the session cookie must come from this service's own pages "
            "(its Origin or Referer is missing or foreign). Integrators: use a bearer token.",
            "Permintaan yang mengubah data dengan cookie sesi harus berasal dari halaman layanan ini sendiri (Origin atau Referer-nya kosong atau asing). Integrator: gunakan bearer token.",
        )


# -- headers ----------------------------------------------------------------------------

#: The dashboard (and every other response): scripts and everything else only from this origin,
#: no inline script. Inline styles are allowed: Mantine injects <style> elements at run time.
#: Frames only of blob: URLs the dashboard made itself (a decree's or a document's PDF, fetched with
#: the session and shown in place).
DASHBOARD_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; "
    "font-src 'self' data:; connect-src 'self'; frame-src 'self' blob:; object-src 'none'; base-uri 'self'; "
    "form-action 'self'; frame-ancestors 'none'"
)
#: The API docs (/docs, /redoc): their one inline script by its hash, inline styles, ReDoc's
#: worker from a blob: URL.
DOCS_CSP = (
    "default-src 'self'; script-src 'self' {hashes}; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; "
    "font-src 'self' data:; connect-src 'self'; worker-src 'self' blob:; object-src 'none'; base-uri 'self'; "
    "form-action 'self'; frame-ancestors 'none'"
)
DOCS_PATHS = ("/docs", "/redoc")
_INLINE_SCRIPT = re.compile(rb"<script(?![^>]*\bsrc=)[^>]*>(.*?)</script>", re.S | re.I)


def script_hashes(html: bytes) -> list[str]:
    """CSP source expressions of a page's inline scripts."""
    return [f"'sha256-{base64.b64encode(hashlib.sha256(m.group(1)).digest()).decode()}'" for m in _INLINE_SCRIPT.finditer(html)]


class SecurityHeaders:
    """Adds the security headers to every HTTP response (pure ASGI: nothing is buffered except
    the small HTML of the docs pages, whose inline script is hashed into their policy)."""

    def __init__(self, app: ASGIApp, hsts: bool):
        self.app = app
        self.hsts = hsts

    def _headers(self, csp: str) -> list[tuple[bytes, bytes]]:
        out = [
            (b"content-security-policy", csp.encode()),
            (b"x-frame-options", b"DENY"),
            (b"referrer-policy", b"same-origin"),
            (b"x-content-type-options", b"nosniff"),
        ]
        if self.hsts:
            out.append((b"strict-transport-security", b"max-age=31536000; includeSubDomains"))
        return out

    @staticmethod
    def _merge(message: Message, extra: list[tuple[bytes, bytes]]) -> None:
        names = {k for k, _ in extra}
        message["headers"] = [(k, v) for k, v in message.get("headers", []) if k.lower() not in names] + extra

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope["path"]
        if path in DOCS_PATHS or path.startswith(tuple(p + "/" for p in DOCS_PATHS)):
            await self._docs(scope, receive, send)
            return
        extra = self._headers(DASHBOARD_CSP)

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                self._merge(message, extra)
            await send(message)

        await self.app(scope, receive, send_with_headers)

    async def _docs(self, scope: Scope, receive: Receive, send: Send) -> None:
        start: dict[str, Any] = {}
        body = bytearray()

        async def capture(message: Message) -> None:
            if message["type"] == "http.response.start":
                start.update(message)
                return
            if message["type"] == "http.response.body":
                body.extend(message.get("body", b""))
                if message.get("more_body"):
                    return
                hashes = " ".join(script_hashes(bytes(body)))
                self._merge(start, self._headers(DOCS_CSP.format(hashes=hashes)))
                await send(start)
                await send({"type": "http.response.body", "body": bytes(body)})
                return
            await send(message)

        await self.app(scope, receive, capture)
