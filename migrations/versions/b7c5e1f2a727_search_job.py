"""search indexing as a job: the queue of entries to (re)write

Revision ID: b7c5e1f2a727
Revises: a6b4d0e1f726
Create Date: 2026-12-04 04:10:00

"""
from alembic import op
import sqlalchemy as sa

import app.dbtypes


# revision identifiers, used by Alembic.
revision = 'b7c5e1f2a727'
down_revision = 'a6b4d0e1f726'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('search_queue',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=12), nullable=False),
    sa.Column('object_id', sa.Integer(), nullable=False),
    sa.Column('queued_at', app.dbtypes.UTCDateTime(timezone=True), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('last_error', sa.Text(), nullable=True),
    sa.Column('indexed_at', app.dbtypes.UTCDateTime(timezone=True), nullable=True),
    sa.CheckConstraint("kind IN ('meeting', 'agenda_item', 'minutes')", name=op.f('ck_search_queue_kind')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_search_queue')),
    sa.UniqueConstraint('kind', 'object_id', name=op.f('uq_search_queue_kind_object_id'))
    )
    with op.batch_alter_table('search_queue', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_search_queue_indexed_at'), ['indexed_at'], unique=False)


def downgrade():
    with op.batch_alter_table('search_queue', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_search_queue_indexed_at'))

    op.drop_table('search_queue')
