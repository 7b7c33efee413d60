"""large exports made by a background job

Revision ID: e4f2b8c9d724
Revises: d3e1a7b8c723
Create Date: 2026-12-04 00:00:00

"""
from alembic import op
import sqlalchemy as sa

import app.dbtypes


# revision identifiers, used by Alembic.
revision = 'e4f2b8c9d724'
down_revision = 'd3e1a7b8c723'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'exports',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=20), nullable=False),
        sa.Column('object_id', sa.Integer(), nullable=False),
        sa.Column('scope', sa.String(length=40), nullable=False),
        sa.Column('version', sa.String(length=80), nullable=False),
        sa.Column('state', sa.String(length=10), nullable=False),
        sa.Column('filename', sa.String(length=300), nullable=True),
        sa.Column('storage_key', sa.String(length=100), nullable=True),
        sa.Column('size', sa.Integer(), nullable=True),
        sa.Column('error', sa.Text(), nullable=True),
        sa.Column('created_at', app.dbtypes.UTCDateTime(timezone=True), nullable=False),
        sa.Column('finished_at', app.dbtypes.UTCDateTime(timezone=True), nullable=True),
        sa.CheckConstraint("kind IN ('round_xlsx')", name=op.f('ck_exports_kind')),
        sa.CheckConstraint("state IN ('queued', 'running', 'done', 'failed')", name=op.f('ck_exports_state')),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_exports_user_id_users'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_exports')),
    )
    with op.batch_alter_table('exports', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_exports_user_id'), ['user_id'], unique=False)


def downgrade():
    with op.batch_alter_table('exports', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_exports_user_id'))
    op.drop_table('exports')
