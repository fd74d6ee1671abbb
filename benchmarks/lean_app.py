"""The lean FastAPI app Pembina's reads are compared with (`benchmarks/lean.py`, `make bench`).

The least a careful service needs to answer the same requests on the same database: FastAPI,
SQLAlchemy Core on one pooled engine, the bearer token verified with python-jose (signature,
audience, issuer, expiry: the same secret and claims as Pembina's tokens), the caller's region
read from the token's subject (one indexed row), and the rows returned as JSON. No audit, no
idempotency, no i18n, no security headers, no allowed_actions, no provenance: what Pembina does
beyond this is what the ratio measures.

    DATABASE_URL=... PEMBINA_JWT_SECRET=... uvicorn benchmarks.lean_app:app
"""

from __future__ import annotations

import os
from typing import Any

from fastapi import Depends, FastAPI, HTTPException, Query
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from jose import JWTError, jwt
from sqlalchemy import create_engine, text

engine = create_engine(os.environ["DATABASE_URL"], pool_size=10, max_overflow=10, pool_pre_ping=True)
SECRET = os.environ["PEMBINA_JWT_SECRET"]
bearer = HTTPBearer()
app = FastAPI(title="lean")

COLUMNS = (
    "id, region_code, name, rw, rt, address, latitude, longitude, is_active, pengurus_count, kader_count, stratum, services, "
    "spm_mask, notes, registration_status, registration_number, registered_at, status_reason, batch_id, created_at, updated_at, version"
)


def caller(credentials: HTTPAuthorizationCredentials = Depends(bearer)) -> str | None:
    """The caller's region ('' for the nation) from the token's subject."""
    try:
        claims = jwt.decode(credentials.credentials, SECRET, algorithms=["HS256"], audience="pembina-api", issuer="pembina")
    except JWTError:
        raise HTTPException(401) from None
    kind, _, ident = str(claims["sub"]).partition(":")
    table = "users" if kind == "user" else "api_clients"
    with engine.connect() as c:
        row = c.execute(text(f"SELECT region_code FROM {table} WHERE id = :i AND is_active"), {"i": int(ident)}).first()
    if row is None:
        raise HTTPException(401)
    return row[0]


def _row(r: Any) -> dict[str, Any]:
    d = dict(r._mapping)
    for k in ("registered_at", "created_at", "updated_at"):
        if d.get(k) is not None:
            d[k] = d[k].isoformat()
    return d


@app.get("/healthz")
def healthz() -> dict[str, str]:
    with engine.connect() as c:
        c.execute(text("SELECT 1"))
    return {"status": "ok"}


@app.get("/api/v1/posyandu")
def posyandu_list(
    region: str = Query(...),
    status: str = Query(..., description="The registration status (Pembina's own parameter name)."),
    limit: int = Query(50, ge=1, le=500),
    offset: int = Query(0, ge=0),
    scope: str | None = Depends(caller),
) -> dict[str, Any]:
    if scope and not (region == scope or region.startswith(scope + ".")):
        raise HTTPException(403)
    with engine.connect() as c:
        rows = c.execute(
            text(
                f"SELECT {COLUMNS} FROM posyandu WHERE region_code >= :r AND region_code < :end AND registration_status = :s "
                "ORDER BY region_code, name, id LIMIT :l OFFSET :o"
            ),
            {"r": region, "end": region + "/", "s": status, "l": limit, "o": offset},
        ).all()
        total = c.execute(
            text("SELECT value FROM region_stats WHERE region_code = :r AND metric = :m"),
            {"r": region, "m": f"posyandu.registration.{status}"},
        ).scalar()
    return {"items": [_row(r) for r in rows], "total": int(total or 0), "limit": limit, "offset": offset}


@app.get("/api/v1/posyandu/{posyandu_id}")
def posyandu_one(posyandu_id: int, scope: str | None = Depends(caller)) -> dict[str, Any]:
    with engine.connect() as c:
        row = c.execute(text(f"SELECT {COLUMNS} FROM posyandu WHERE id = :i"), {"i": posyandu_id}).first()
    if row is None or (scope and not (row.region_code == scope or row.region_code.startswith(scope + "."))):
        raise HTTPException(404)
    return _row(row)


@app.get("/api/v1/regions/summary")
def national_summary(scope: str | None = Depends(caller)) -> dict[str, Any]:
    """The nation's counters: the provinces' rows summed (as Pembina's stats.values(None))."""
    if scope:
        raise HTTPException(403)
    with engine.connect() as c:
        rows = c.execute(
            text(
                "SELECT metric, SUM(value) FROM (SELECT s.metric, s.value FROM regions r JOIN region_stats s ON s.region_code = r.code "
                "WHERE r.level = 1 UNION ALL SELECT metric, value FROM region_stats WHERE region_code = '') t GROUP BY metric"
            )
        ).all()
    return {"counters": {m: int(v) for m, v in rows}}
