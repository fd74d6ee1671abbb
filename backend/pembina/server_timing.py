"""`Server-Timing: app;dur=<ms>` on every response: the time the application spent on the request,
from its first byte reaching the app to its response headers leaving it (the body of a streamed
response is not included). Benchmarks read it to tell the server's own time from the client's and
the network's; browsers show it in their developer tools.

Pure ASGI (no `BaseHTTPMiddleware`): it adds one header and costs one clock read at each end.
"""

from __future__ import annotations

import time

from starlette.types import ASGIApp, Message, Receive, Scope, Send


class ServerTiming:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        start = time.perf_counter()

        async def send_timed(message: Message) -> None:
            if message["type"] == "http.response.start":
                spent = (time.perf_counter() - start) * 1000
                headers = list(message.get("headers", []))
                headers.append((b"server-timing", f"app;dur={spent:.2f}".encode()))
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_timed)
