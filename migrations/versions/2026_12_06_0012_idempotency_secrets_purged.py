"""idempotency records: purge stored one-time secrets

Responses that revealed an API client secret or a generated password were stored in clear
for replays. They are now never stored; this clears those already kept (their record stays,
as state 'secret', so that a replay still does not run the request again).

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-06 10:00:00
"""

from __future__ import annotations

import json
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0012'
down_revision: str | Sequence[str] | None = '0011'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

records = sa.table(
    'idempotency_records',
    sa.column('id', sa.Integer), sa.column('state', sa.String), sa.column('response_status', sa.Integer),
    sa.column('response_headers', sa.JSON), sa.column('response_body', sa.LargeBinary),
)


def _reveals_secret(body: bytes | None) -> bool:
    try:
        doc = json.loads(body or b"")
    except ValueError:
        return False
    return isinstance(doc, dict) and bool(doc.get("client_secret") or doc.get("generated_password") or doc.get("access_token"))


def upgrade() -> None:
    conn = op.get_bind()
    rows = conn.execute(sa.select(records.c.id, records.c.response_body).where(records.c.state == 'done', records.c.response_body.is_not(None)))
    ids = [r.id for r in rows if _reveals_secret(r.response_body)]
    for start in range(0, len(ids), 500):
        conn.execute(
            records.update().where(records.c.id.in_(ids[start:start + 500]))
            .values(state='secret', response_headers=None, response_body=None)
        )


def downgrade() -> None:
    # The secrets are gone for good. The older code does not know the 'secret' state: it
    # treats such a record as an unfinished claim (409, then re-run after 5 minutes).
    pass
