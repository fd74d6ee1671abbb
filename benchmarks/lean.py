"""Pembina side by side with a lean FastAPI app: `make bench` (or `python -m benchmarks.lean`).

On the scale benchmark's database (`benchmarks/scale.py`: the real regions and 300,000 synthetic
posyandu, PEMBINA_BENCH_SCALE_DB), in the same run and the same way: the lean app
(`benchmarks/lean_app.py`: FastAPI, SQLAlchemy Core, the bearer token verified, the rows as JSON)
and then Pembina (`pembina serve`), each under uvicorn with 2 workers, measured by wrk at 64
connections and at one connection, endpoint by endpoint: /healthz, the posyandu list page
(province 33, registered, 50 rows, the total from the counters), one posyandu, and the national
counters. Pembina runs without its access log and its embedded reminder worker, as the lean app
does. Printed: each one's requests per second and latency, and Pembina's throughput as a
ratio of the lean app's (goal: every read at 0.8 or more).

Figures, not a pass/fail test: the machine's load changes them (the server and wrk share it).
"""

from __future__ import annotations

import os
import platform
import subprocess
import sys
import uuid

import httpx

from benchmarks import scale

PORT = scale.PORT + 2


def _targets(url: str, auth: dict[str, str]) -> list[tuple[str, str]]:
    one = httpx.get(url + "/api/v1/posyandu", params={"region": scale.PROVINCE, "status": "registered", "limit": 1}, headers=auth)
    pid = one.json()["items"][0]["id"]
    return [
        ("/healthz (SELECT 1)", "/healthz"),
        (
            f"posyandu list page (province {scale.PROVINCE}, registered, 50)",
            f"/api/v1/posyandu?region={scale.PROVINCE}&status=registered&limit=50",
        ),
        ("one posyandu", f"/api/v1/posyandu/{pid}"),
        ("national counters (summary)", "/api/v1/regions/summary"),
    ]


def _gist(body: object) -> object:
    """What both apps must answer alike: a page's row ids and total, a record's id."""
    if isinstance(body, dict) and "items" in body:
        return [item["id"] for item in body["items"]], body["total"]
    if isinstance(body, dict) and "id" in body:
        return body["id"]
    return None


def _measure(
    url: str, auth: dict[str, str], targets: list[tuple[str, str]], answers: dict[str, object]
) -> list[tuple[scale.Result, scale.Result]]:
    """wrk at 64 connections and at one on each target. The first app's answers are kept in
    `answers`; the second's must be the same (the same rows, the same total): like for like."""
    out = []
    for label, path in targets:
        r = httpx.get(url + path, headers=auth, timeout=30)
        assert r.status_code == 200, (url + path, r.status_code, r.text[:300])
        gist = answers.setdefault(path, _gist(r.json()))
        assert _gist(r.json()) == gist, f"the two apps answer {path} differently: {_gist(r.json())} against {gist}"
        headers = {} if path == "/healthz" else auth
        out.append((scale._wrk(url + path, label, headers), scale._wrk(url + path, label, headers, connections=1)))
    return out


def _serve(cmd: list[str], env: dict[str, str]) -> subprocess.Popen[bytes]:
    return subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)


def main() -> None:
    if scale.shutil.which("wrk") is None:
        print("wrk is not installed (make bench installs Debian's wrk): skipping the lean-app comparison")
        return
    env = scale._env(scale._database_url())
    print(
        f"Pembina beside a lean FastAPI app on PostgreSQL ({scale.DB_NAME}): uvicorn 2 workers each, wrk {scale.CONNECTIONS} connections and 1"
    )
    print(f"  machine: {platform.machine()}, {os.cpu_count()} cores, load {os.getloadavg()[0]:.2f}; server and load generator share it")
    scale.prepare(env)
    password = uuid.uuid4().hex
    scale._bench_admin(env, password)
    url = f"http://127.0.0.1:{PORT}"
    uvicorn = [sys.executable, "-m", "uvicorn", "--host", "127.0.0.1", "--port", str(PORT), "--workers", "2", "--no-access-log"]
    # Pembina first (its token is the lean app's too: the same secret and claims). Like for like:
    # no access log (the lean app's --no-access-log) and no reminder worker beside the server
    # (its rounds would share the cores with the load; it runs as `pembina worker` elsewhere).
    pembina_env = {**env, "PEMBINA_ACCESS_LOG": "false", "PEMBINA_WORKER_EMBEDDED": "false"}
    server = _serve([str(scale.BIN / "pembina"), "serve", "--host", "127.0.0.1", "--port", str(PORT), "--workers", "2"], pembina_env)
    try:
        scale._wait(url, server)
        token = httpx.post(
            url + "/api/v1/auth/token", data={"grant_type": "password", "username": "bench-admin", "password": password}
        ).json()["access_token"]
        auth = {"Authorization": f"Bearer {token}"}
        targets = _targets(url, auth)
        answers: dict[str, object] = {}
        pembina = _measure(url, auth, targets, answers)
    finally:
        scale.stop(server)
    lean_server = _serve([*uvicorn, "benchmarks.lean_app:app"], {**env, "PYTHONPATH": str(scale.ROOT)})
    try:
        scale._wait(url, lean_server)
        lean = _measure(url, auth, targets, answers)
    finally:
        scale.stop(lean_server)

    print(
        f"  {'endpoint':<52} {'lean req/s':>10} {'Pembina':>8} {'ratio':>6} {'lean p50':>9} {'Pembina p50':>12} {'1-conn lean/Pembina p50 ms':>27}"
    )
    for (label, _), (lw, l1), (pw, p1) in zip(targets, lean, pembina, strict=True):
        ratio = pw.rps / lw.rps
        print(
            f"  {label:<52} {lw.rps:10.0f} {pw.rps:8.0f} {ratio:6.2f} {lw.p50_ms:9.1f} {pw.p50_ms:12.1f} {l1.p50_ms:13.2f} / {p1.p50_ms:.2f}"
            + (f"   errors {pw.errors + pw.non2xx}/{lw.errors + lw.non2xx}" if pw.errors + pw.non2xx + lw.errors + lw.non2xx else "")
        )
    worst = min(pw.rps / lw.rps for (lw, _), (pw, _) in zip(lean, pembina, strict=True))
    print(f"  goal: every read at ≥ 0.8 of the lean app: worst {worst:.2f} — {'met' if worst >= 0.8 else 'MISSED'}")


if __name__ == "__main__":
    main()
