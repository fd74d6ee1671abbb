"""One request-body size limit for every request, enforced while the body streams in.

`BodyLimitMiddleware` is the outermost middleware: nothing behind it (the idempotency
middleware, FastAPI's JSON or form parsing, authentication) can read more than the cap.

* The cap is `PEMBINA_BODY_MAX_BYTES` (1 MiB) for every request, except the upload
  operations in `UPLOAD_LIMITS`, which keep their own setting (plus room for the multipart
  framing).
* A `Content-Length` above the cap is answered 413 before a byte of the body is read.
* Otherwise the bytes of each `http.request` message are counted (chunked bodies, lying
  lengths); past the cap the inner app's `receive` raises, whatever it was going to answer is
  dropped and the client gets a 413 problem instead. The connection is then closed by the
  server (the rest of the body is never read).

Starlette's own `max_body_size` answers a plain-text 413 and learns a route's cap only once
routing is reached, after the idempotency middleware has already read the body; hence this.
"""

from __future__ import annotations

import json
import re
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from pembina.config import get_settings
from pembina.kit.errors import PROBLEM_MEDIA_TYPE, PayloadTooLarge
from pembina.kit.files import MULTIPART_OVERHEAD, too_large
from pembina.kit.route_index import operations

#: Upload operations and the setting that caps their file. Every multipart operation of the
#: contract must be listed (tests/security/test_body_limits.py checks it).
UPLOAD_LIMITS: dict[str, str] = {
    "imports-run": "import_max_bytes",
    "decrees-file-upload": "decree_file_max_bytes",
    "meeting-attachments-upload": "attachment_max_bytes",
    "activity-report-photos-upload": "activity_report_photo_max_bytes",
    "posyandu-documents-create": "posyandu_document_max_bytes",
    "registration-batches-import-numbers": "registration_import_max_bytes",
}


class _TooLarge(PayloadTooLarge):
    """Raised from `receive` once the body passes the cap (a Problem: any handler that lets it
    through answers 413; the middleware answers 413 in any case)."""


class BodyLimitMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self._uploads: list[tuple[re.Pattern[str], str, str]] | None = None

    def _upload_routes(self, app: Any) -> list[tuple[re.Pattern[str], str, str]]:
        if self._uploads is None:
            self._uploads = (
                [(regex, method, UPLOAD_LIMITS[op]) for regex, method, op in operations(app, set(UPLOAD_LIMITS))] if app is not None else []
            )
        return self._uploads

    def limit_for(self, scope: Scope) -> tuple[int, PayloadTooLarge]:
        """The cap of this request's body, and the problem that refuses it."""
        settings = get_settings()
        path = scope["path"]
        for regex, method, setting in self._upload_routes(scope.get("app")):
            if scope["method"] == method and regex.match(path):
                file_limit = int(getattr(settings, setting))
                # as the upload handlers word it: the file's own cap (the framing is ours)
                return file_limit + MULTIPART_OVERHEAD, too_large(file_limit)
        limit = settings.body_max_bytes
        return limit, PayloadTooLarge(
            f"The request body is larger than {limit:,} bytes.", f"Isi permintaan lebih besar dari {limit:,} bita.", max_bytes=limit
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit, problem = self.limit_for(scope)
        length = next((v for k, v in scope["headers"] if k.lower() == b"content-length"), None)
        if length is not None and length.strip().isdigit() and int(length) > limit:
            await _send_problem(send, scope, problem)
            return

        seen = 0
        tripped = False
        started = False  # the inner app's response reached the client
        answered = False  # our 413 was sent

        async def limited_receive() -> Message:
            nonlocal seen, tripped
            if tripped:
                raise _TooLarge(max_bytes=limit)
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > limit:
                    tripped = True
                    raise _TooLarge(max_bytes=limit)
            return message

        async def guarded_send(message: Message) -> None:
            nonlocal started, answered
            if tripped and not started:
                # Whatever the app makes of the aborted body (a 400, a 413...) is replaced.
                if not answered:
                    answered = True
                    await _send_problem(send, scope, problem)
                return
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, limited_receive, guarded_send)
        except Exception:
            if not tripped or started:
                raise
        if tripped and not started and not answered:
            await _send_problem(send, scope, problem)


async def _send_problem(send: Send, scope: Scope, p: PayloadTooLarge) -> None:
    body = json.dumps(p.body(scope["path"])).encode()
    headers = [
        (b"content-type", PROBLEM_MEDIA_TYPE.encode()),
        (b"content-length", str(len(body)).encode()),
        (b"connection", b"close"),  # the rest of the body is not read
    ]
    await send({"type": "http.response.start", "status": p.status, "headers": headers})
    await send({"type": "http.response.body", "body": body})
