"""indexes for paged pages

Revision ID: a6b4d0e1f726
Revises: f5a3c9d0e725
Create Date: 2026-12-04 04:10:00

"""
from alembic import op
import sqlalchemy as sa

import app.dbtypes


# revision identifiers, used by Alembic.
revision = 'a6b4d0e1f726'
down_revision = 'f5a3c9d0e725'
branch_labels = None
depends_on = None


AWAITING = "state IN ('submitted', 'resubmitted')"


def upgrade():
    with op.batch_alter_table('progress_reports', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_progress_reports_awaiting'), ['submitted_at', 'id', 'round_id'], unique=False,
                              postgresql_where=sa.text(AWAITING), sqlite_where=sa.text(AWAITING))


def downgrade():
    with op.batch_alter_table('progress_reports', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_progress_reports_awaiting'))
