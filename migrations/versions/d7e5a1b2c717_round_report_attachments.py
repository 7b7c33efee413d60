"""H1 round report: attaching a round report to an agenda

Revision ID: d7e5a1b2c717
Revises: c6d4a0e3f716
Create Date: 2026-12-03 23:00:00

"""
from alembic import op
import sqlalchemy as sa

import app.dbtypes


# revision identifiers, used by Alembic.
revision = 'd7e5a1b2c717'
down_revision = 'c6d4a0e3f716'
branch_labels = None
depends_on = None


# An attachment remembers the reporting round a compiled round report was made from, so that attaching the same
# round to the same agenda again asks whether to replace the earlier copy.

def upgrade():
    with op.batch_alter_table('attachments', schema=None) as batch_op:
        batch_op.add_column(sa.Column('round_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_attachments_round_id'), ['round_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_attachments_round_id_reporting_rounds'), 'reporting_rounds',
                                    ['round_id'], ['id'], ondelete='SET NULL')


def downgrade():
    with op.batch_alter_table('attachments', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_attachments_round_id_reporting_rounds'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_attachments_round_id'))
        batch_op.drop_column('round_id')
