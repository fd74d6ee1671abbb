"""API clients' scopes per resource family (issue 23: least privilege for integrators)

`api_clients.scope` (`read` | `read_write`) becomes `api_clients.scopes`, the space-separated
OAuth2 scopes the client was granted (`pembina.kit.scopes`). Existing clients keep what they could
do with the domain's records and lose what the old scopes also let them read: accounts, the audit
trail and personal data now need an explicit grant. `read` becomes every domain read scope,
`read_write` those and every write scope. The downgrade maps back (any write scope: `read_write`).

Both databases add and drop the column in place (SQLite 3.35+ drops a column without rebuilding the
table, so the ON DELETE CASCADE of `api_client_usage` never runs).

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-07 13:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0022'
down_revision: str | Sequence[str] | None = '0021'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

#: The scopes of the vocabulary of this revision (pembina.kit.scopes.LEGACY), written out: a
#: migration stays as it was written whatever the code becomes.
READ = (
    'regions:read teams:read decrees:read posyandu:read pilots:read budgets:read work-programs:read '
    'legal:read meetings:read competitions:read imports:read changes:read'
)
READ_WRITE = (
    'regions:read teams:read teams:write decrees:read decrees:write posyandu:read posyandu:write pilots:read '
    'pilots:write budgets:read budgets:write work-programs:read work-programs:write legal:read legal:write '
    'meetings:read meetings:write competitions:read competitions:write imports:read changes:read'
)


def _drop(column: str) -> None:
    if op.get_bind().dialect.name == 'sqlite':
        op.execute(f'ALTER TABLE api_clients DROP COLUMN {column}')
    else:
        op.drop_column('api_clients', column)


def upgrade() -> None:
    op.add_column('api_clients', sa.Column('scopes', sa.Text(), nullable=False, server_default=''))
    clients = sa.table('api_clients', sa.column('scope', sa.String), sa.column('scopes', sa.Text))
    op.execute(clients.update().values(scopes=sa.case((clients.c.scope == 'read_write', READ_WRITE), else_=READ)))
    _drop('scope')


def downgrade() -> None:
    op.add_column('api_clients', sa.Column('scope', sa.String(length=16), nullable=False, server_default='read'))
    clients = sa.table('api_clients', sa.column('scope', sa.String), sa.column('scopes', sa.Text))
    op.execute(clients.update().values(scope=sa.case((clients.c.scopes.like('%:write%'), 'read_write'), else_='read')))
    _drop('scopes')
