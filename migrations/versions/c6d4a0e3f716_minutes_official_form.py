"""minutes in the official form: a delegate's position, the recorder's and checker's positions

Revision ID: c6d4a0e3f716
Revises: b5c3f9d2e715
Create Date: 2026-12-03 20:30:00

"""
from alembic import op
import sqlalchemy as sa

import app.dbtypes


# revision identifiers, used by Alembic.
revision = 'c6d4a0e3f716'
down_revision = 'b5c3f9d2e715'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('attendance', schema=None) as batch_op:
        batch_op.add_column(sa.Column('delegate_position', sa.String(length=300), nullable=True))
    with op.batch_alter_table('minutes', schema=None) as batch_op:
        batch_op.add_column(sa.Column('recorder_position', sa.String(length=300), nullable=True))
        batch_op.add_column(sa.Column('checker_position', sa.String(length=300), nullable=True))


def downgrade():
    with op.batch_alter_table('minutes', schema=None) as batch_op:
        batch_op.drop_column('checker_position')
        batch_op.drop_column('recorder_position')
    with op.batch_alter_table('attendance', schema=None) as batch_op:
        batch_op.drop_column('delegate_position')
