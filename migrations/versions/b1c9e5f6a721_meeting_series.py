"""H6 meeting series

Revision ID: b1c9e5f6a721
Revises: a0b8d4e5f720
Create Date: 2026-12-03 23:00:00

"""
from alembic import op
import sqlalchemy as sa

import app.dbtypes


# revision identifiers, used by Alembic.
revision = 'b1c9e5f6a721'
down_revision = 'a0b8d4e5f720'
branch_labels = None
depends_on = None


# A meeting series: one body's meetings scheduled ahead by one date rule (app.recurrence), which also suggests
# the date of the next meeting; each meeting points to the series it was scheduled in.


def upgrade():
    op.create_table('meeting_series',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('body_id', sa.Integer(), nullable=False),
    sa.Column('frequency', sa.String(length=6), nullable=False),
    sa.Column('every', sa.Integer(), nullable=False),
    sa.Column('weekday', sa.Integer(), nullable=False),
    sa.Column('ordinal', sa.Integer(), nullable=True),
    sa.Column('starts_on', sa.Date(), nullable=False),
    sa.Column('start_time', sa.Time(), nullable=False),
    sa.Column('end_time', sa.Time(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', app.dbtypes.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint("frequency IN ('months', 'weeks')", name=op.f('ck_meeting_series_frequency')),
    sa.CheckConstraint('every BETWEEN 1 AND 52', name=op.f('ck_meeting_series_every_range')),
    sa.CheckConstraint('weekday BETWEEN 0 AND 6', name=op.f('ck_meeting_series_weekday_range')),
    sa.CheckConstraint('ordinal IS NULL OR ordinal IN (1, 2, 3, 4, -1)', name=op.f('ck_meeting_series_ordinal')),
    sa.CheckConstraint('end_time > start_time', name=op.f('ck_meeting_series_ends_after_start')),
    sa.ForeignKeyConstraint(['body_id'], ['bodies.id'], name=op.f('fk_meeting_series_body_id_bodies'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_meeting_series_created_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_meeting_series'))
    )
    with op.batch_alter_table('meeting_series', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_meeting_series_body_id'), ['body_id'], unique=False)

    with op.batch_alter_table('meetings', schema=None) as batch_op:
        batch_op.add_column(sa.Column('series_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_meetings_series_id'), ['series_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_meetings_series_id_meeting_series'), 'meeting_series', ['series_id'], ['id'], ondelete='SET NULL')


def downgrade():
    with op.batch_alter_table('meetings', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_meetings_series_id_meeting_series'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_meetings_series_id'))
        batch_op.drop_column('series_id')

    with op.batch_alter_table('meeting_series', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_meeting_series_body_id'))

    op.drop_table('meeting_series')
