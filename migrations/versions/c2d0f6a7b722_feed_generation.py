"""feeds: a generation counter and a change log, so that an unchanged feed is answered after one read

Revision ID: c2d0f6a7b722
Revises: b1c9e5f6a721
Create Date: 2026-12-03 23:00:00

"""
from alembic import op
import sqlalchemy as sa

import app.dbtypes


# revision identifiers, used by Alembic.
revision = 'c2d0f6a7b722'
down_revision = 'b1c9e5f6a721'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'feed_generation',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('value', sa.Integer(), nullable=False),
        sa.Column('epoch', sa.String(length=32), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_feed_generation')),
    )
    op.create_table(
        'feed_changes',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('generation', sa.Integer(), nullable=False),
        sa.Column('meeting_id', sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_feed_changes')),
    )
    with op.batch_alter_table('feed_changes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_feed_changes_generation'), ['generation'], unique=False)


def downgrade():
    with op.batch_alter_table('feed_changes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_feed_changes_generation'))
    op.drop_table('feed_changes')
    op.drop_table('feed_generation')
