"""file store: uploaded files' bytes out of the database rows; activity report photos (issues 21, 22)

The bytes of posyandu documents, meeting attachments and decree PDFs move into the file store
(`pembina.kit.blobs`, the directory `PEMBINA_FILES_DIR` of the same settings as the app's),
content-addressed by sha256; the rows keep their metadata and the sha256. The `content` columns
are dropped, and so is `decree_files` (a decree's `file_sha256` names its PDF). Each row's hash is
computed again from its bytes (and corrected if it differed). Rows are moved a few at a time, so
memory stays bounded. The blobs are written (fsync'ed) before the columns are dropped; if the
migration fails and rolls back, the blobs already stored are unreferenced and `pembina files gc`
removes them.

Also the new table `activity_report_photos` (its bytes in the file store from the start).

The downgrade puts the bytes back in the rows (refusing when a blob is missing) and drops the
photos table (its photos' blobs stay in the store until collected).

Revision ID: 0027
Revises: 0026
Create Date: 2026-12-07 19:40:00
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import pembina.kit.db
from pembina.kit.blobs import get_store

revision: str = "0027"
down_revision: str | Sequence[str] | None = "0026"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

REGION_CODE = sa.String(length=20).with_variant(sa.String(length=20, collation="C"), "postgresql")
#: The tables whose rows held their file's bytes, with their key.
STORED = (("posyandu_documents", "id"), ("meeting_attachments", "id"))
BATCH = 50


def _batches(ids: list[int]) -> Sequence[list[int]]:
    return [ids[i : i + BATCH] for i in range(0, len(ids), BATCH)]


def upgrade() -> None:
    conn = op.get_bind()
    store = get_store()
    for name, key in STORED:
        t = sa.table(name, sa.column(key, sa.Integer), sa.column("sha256", sa.String), sa.column("content", sa.LargeBinary))
        ids = [i for (i,) in conn.execute(sa.select(t.c[key]).order_by(t.c[key]))]
        for chunk in _batches(ids):
            for i, sha, content in conn.execute(sa.select(t.c[key], t.c.sha256, t.c.content).where(t.c[key].in_(chunk))).all():
                stored = store.put(bytes(content))
                if stored != sha:
                    conn.execute(sa.update(t).where(t.c[key] == i).values(sha256=stored))
        # (SQLite recreates the table: its ids stay AUTOINCREMENT, never reused)
        with op.batch_alter_table(name, schema=None, table_kwargs={"sqlite_autoincrement": True}) as batch_op:
            batch_op.drop_column("content")

    files = sa.table("decree_files", sa.column("decree_id", sa.Integer), sa.column("content", sa.LargeBinary))
    decrees = sa.table("decrees", sa.column("id", sa.Integer), sa.column("file_sha256", sa.String), sa.column("file_size", sa.Integer))
    ids = [i for (i,) in conn.execute(sa.select(files.c.decree_id).order_by(files.c.decree_id))]
    for chunk in _batches(ids):
        for i, content in conn.execute(sa.select(files.c.decree_id, files.c.content).where(files.c.decree_id.in_(chunk))).all():
            data = bytes(content)
            conn.execute(sa.update(decrees).where(decrees.c.id == i).values(file_sha256=store.put(data), file_size=len(data)))
    op.drop_table("decree_files")

    op.create_table(
        "activity_report_photos",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("report_id", sa.Integer(), nullable=False),
        sa.Column("region_code", REGION_CODE, nullable=False),
        sa.Column("caption", sa.String(length=200), nullable=True),
        sa.Column("filename", sa.String(length=255), nullable=False),
        sa.Column("content_type", sa.String(length=100), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("uploaded_by", sa.String(length=64), nullable=True),
        sa.Column("uploaded_at", pembina.kit.db.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["report_id"], ["activity_reports.id"], name=op.f("fk_activity_report_photos_report_id_activity_reports"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_activity_report_photos")),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table("activity_report_photos", schema=None) as batch_op:
        batch_op.create_index("ix_activity_report_photos_report_id", ["report_id"], unique=False)


def _bytes(sha256: str) -> bytes:
    data = get_store().get(sha256)
    if hashlib.sha256(data).hexdigest() != sha256:
        raise RuntimeError(f"the file store holds damaged bytes for {sha256}")
    return data


def downgrade() -> None:
    conn = op.get_bind()
    with op.batch_alter_table("activity_report_photos", schema=None) as batch_op:
        batch_op.drop_index("ix_activity_report_photos_report_id")
    op.drop_table("activity_report_photos")

    op.create_table(
        "decree_files",
        sa.Column("decree_id", sa.Integer(), nullable=False),
        sa.Column("region_code", REGION_CODE, nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(["decree_id"], ["decrees.id"], name=op.f("fk_decree_files_decree_id_decrees"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("decree_id", name=op.f("pk_decree_files")),
    )
    files = sa.table(
        "decree_files", sa.column("decree_id", sa.Integer), sa.column("region_code", sa.String), sa.column("content", sa.LargeBinary)
    )
    decrees = sa.table("decrees", sa.column("id", sa.Integer), sa.column("region_code", sa.String), sa.column("file_sha256", sa.String))
    rows = conn.execute(
        sa.select(decrees.c.id, decrees.c.region_code, decrees.c.file_sha256).where(decrees.c.file_sha256.is_not(None))
    ).all()
    for i, region, sha in rows:
        conn.execute(sa.insert(files).values(decree_id=i, region_code=region, content=_bytes(sha)))

    for name, key in STORED:
        # (SQLite recreates the table: its ids stay AUTOINCREMENT, never reused)
        with op.batch_alter_table(name, schema=None, table_kwargs={"sqlite_autoincrement": True}) as batch_op:
            batch_op.add_column(sa.Column("content", sa.LargeBinary(), nullable=True))
        t = sa.table(name, sa.column(key, sa.Integer), sa.column("sha256", sa.String), sa.column("content", sa.LargeBinary))
        for i, sha in conn.execute(sa.select(t.c[key], t.c.sha256).order_by(t.c[key])).all():
            conn.execute(sa.update(t).where(t.c[key] == i).values(content=_bytes(sha)))
        # (SQLite recreates the table: its ids stay AUTOINCREMENT, never reused)
        with op.batch_alter_table(name, schema=None, table_kwargs={"sqlite_autoincrement": True}) as batch_op:
            batch_op.alter_column("content", existing_type=sa.LargeBinary(), nullable=False)
