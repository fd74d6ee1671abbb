"""Keep a local copy of everything in your region in sync with Pembina, over REST.

    python examples/sync_client.py --url http://127.0.0.1:8000 \
        --client-id pmb_... --client-secret ... --state copy.json [--follow]

It logs in with the client-credentials grant, reads the change feed from the cursor saved in
the state file (from the beginning the first time), applies each change to the local copy
(a delete removes the record; anything else stores the record's data), saves the copy and the
new cursor together, and repeats while `has_more`. With --follow it polls every 10 s.
Tokens are short-lived: it logs in again on a 401.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

import httpx


class Sync:
    def __init__(self, url: str, client_id: str, client_secret: str, state: Path):
        self.http = httpx.Client(base_url=url, timeout=30)
        self.client_id, self.client_secret, self.state = client_id, client_secret, state
        self.token: str | None = None
        saved = json.loads(state.read_text()) if state.exists() else {}
        self.cursor: str | None = saved.get("cursor")
        self.records: dict[str, dict] = saved.get("records", {})

    def login(self) -> None:
        r = self.http.post("/api/v1/auth/token", data={"grant_type": "client_credentials"}, auth=(self.client_id, self.client_secret))
        r.raise_for_status()
        self.token = r.json()["access_token"]

    def page(self) -> dict:
        for _ in range(2):
            if self.token is None:
                self.login()
            params = {"limit": 500, **({"cursor": self.cursor} if self.cursor else {})}
            r = self.http.get("/api/v1/changes", params=params, headers={"Authorization": f"Bearer {self.token}"})
            if r.status_code == 401:
                self.token = None
                continue
            r.raise_for_status()
            return r.json()
        raise RuntimeError("could not authenticate")

    def run_once(self) -> int:
        applied = 0
        while True:
            body = self.page()
            for ch in body["items"]:
                key = f"{ch['entity_type']}/{ch['entity_id']}"
                if ch["action"] == "delete" or ch["data"] is None:  # gone, or gone since (a later entry says so)
                    self.records.pop(key, None)
                else:
                    self.records[key] = ch["data"]
                applied += 1
            self.cursor = body["next_cursor"]
            self.save()  # the copy and its cursor are saved together
            if not body["has_more"]:
                return applied

    def save(self) -> None:
        tmp = self.state.with_suffix(".tmp")
        tmp.write_text(json.dumps({"cursor": self.cursor, "records": self.records}, indent=1))
        os.replace(tmp, self.state)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--url", default="http://127.0.0.1:8000")
    p.add_argument("--client-id", default=os.environ.get("PEMBINA_CLIENT_ID"), required="PEMBINA_CLIENT_ID" not in os.environ)
    p.add_argument("--client-secret", default=os.environ.get("PEMBINA_CLIENT_SECRET"), required="PEMBINA_CLIENT_SECRET" not in os.environ)
    p.add_argument("--state", type=Path, default=Path("pembina-copy.json"))
    p.add_argument("--follow", action="store_true", help="keep polling every 10 s")
    args = p.parse_args(argv)
    sync = Sync(args.url, args.client_id, args.client_secret, args.state)
    while True:
        n = sync.run_once()
        print(f"applied {n} changes; {len(sync.records)} records; cursor {sync.cursor}", flush=True)
        if not args.follow:
            return 0
        time.sleep(10)


if __name__ == "__main__":
    sys.exit(main())
