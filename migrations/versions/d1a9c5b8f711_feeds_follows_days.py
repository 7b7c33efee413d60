"""followed bodies, feed reminders, meeting days

Revision ID: d1a9c5b8f711
Revises: c0f8b4a7e710
Create Date: 2026-12-03 18:00:00

"""
from alembic import op
import sqlalchemy as sa

import app.dbtypes


# revision identifiers, used by Alembic.
revision = 'd1a9c5b8f711'
down_revision = 'c0f8b4a7e710'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'body_follows',
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('body_id', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['body_id'], ['bodies.id'], name=op.f('fk_body_follows_body_id_bodies'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_body_follows_user_id_users'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('user_id', 'body_id', name=op.f('pk_body_follows')),
    )
    op.create_index(op.f('ix_body_follows_body_id'), 'body_follows', ['body_id'], unique=False)
    op.create_table(
        'meeting_days',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('meeting_id', sa.Integer(), nullable=False),
        sa.Column('day', sa.Date(), nullable=False),
        sa.Column('starts_at', app.dbtypes.UTCDateTime(timezone=True), nullable=False),
        sa.Column('ends_at', app.dbtypes.UTCDateTime(timezone=True), nullable=False),
        sa.Column('venue', sa.String(length=500), nullable=True),
        sa.Column('online_url', sa.String(length=1000), nullable=True),
        sa.CheckConstraint('ends_at >= starts_at', name=op.f('ck_meeting_days_ends_after_start')),
        sa.ForeignKeyConstraint(['meeting_id'], ['meetings.id'], name=op.f('fk_meeting_days_meeting_id_meetings'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_meeting_days')),
        sa.UniqueConstraint('meeting_id', 'day', name=op.f('uq_meeting_days_meeting_id_day')),
    )
    op.create_index(op.f('ix_meeting_days_meeting_id'), 'meeting_days', ['meeting_id'], unique=False)
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('calendar_reminder_minutes', sa.Integer(), nullable=True))
    op.execute("UPDATE users SET calendar_reminder_minutes = 60")


def downgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('calendar_reminder_minutes')
    op.drop_index(op.f('ix_meeting_days_meeting_id'), table_name='meeting_days')
    op.drop_table('meeting_days')
    op.drop_index(op.f('ix_body_follows_body_id'), table_name='body_follows')
    op.drop_table('body_follows')
