"""notifications: the outbox of reminders and each account's preferences

`notifications`: one row per (rule, subject, occurrence, account), unique, so a reminder is
never made twice (two workers, a restart); it is the in-app notification and the e-mail outbox
(`email_status`). `notification_preferences`: an account's channels per rule, and its digest day.

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-07 13:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import pembina.kit.db

revision: str = '0020'
down_revision: str | Sequence[str] | None = '0019'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'notifications',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('rule', sa.String(length=40), nullable=False),
        sa.Column('subject', sa.String(length=80), nullable=False),
        sa.Column('occurrence', sa.String(length=40), nullable=False),
        sa.Column('region_code', sa.String(length=20).with_variant(sa.String(length=20, collation='C'), 'postgresql'), nullable=True),
        sa.Column('record_kind', sa.String(length=24), nullable=True),
        sa.Column('record_id', sa.Integer(), nullable=True),
        sa.Column('title', sa.String(length=500), nullable=True),
        sa.Column('due_on', sa.Date(), nullable=True),
        sa.Column('params', sa.JSON(), nullable=True),
        sa.Column('in_app', sa.Boolean(), nullable=False),
        sa.Column('created_at', pembina.kit.db.UTCDateTime(), nullable=False),
        sa.Column('read_at', pembina.kit.db.UTCDateTime(), nullable=True),
        sa.Column('cancelled_at', pembina.kit.db.UTCDateTime(), nullable=True),
        sa.Column('email_status', sa.String(length=12), nullable=False),
        sa.Column('email_attempts', sa.SmallInteger(), nullable=False),
        sa.Column('emailed_at', pembina.kit.db.UTCDateTime(), nullable=True),
        sa.Column('email_error', sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_notifications_user_id_users'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_notifications')),
        sa.UniqueConstraint('rule', 'subject', 'occurrence', 'user_id', name=op.f('uq_notifications_rule_subject_occurrence_user_id')),
        sqlite_autoincrement=True,
    )
    op.create_index('ix_notifications_user_id_id', 'notifications', ['user_id', 'id'], unique=False)
    op.create_index('ix_notifications_email_status_id', 'notifications', ['email_status', 'id'], unique=False)
    op.create_index('ix_notifications_subject', 'notifications', ['subject'], unique=False)
    op.create_table(
        'notification_preferences',
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('rule', sa.String(length=40), nullable=False),
        sa.Column('in_app', sa.Boolean(), nullable=False),
        sa.Column('email', sa.Boolean(), nullable=False),
        sa.Column('whatsapp', sa.Boolean(), nullable=False),
        sa.Column('weekday', sa.SmallInteger(), nullable=True),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_notification_preferences_user_id_users'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('user_id', 'rule', name=op.f('pk_notification_preferences')),
    )


def downgrade() -> None:
    op.drop_table('notification_preferences')
    op.drop_index('ix_notifications_subject', table_name='notifications')
    op.drop_index('ix_notifications_email_status_id', table_name='notifications')
    op.drop_index('ix_notifications_user_id_id', table_name='notifications')
    op.drop_table('notifications')
