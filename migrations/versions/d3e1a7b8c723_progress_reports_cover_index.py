"""H7 progress_reports covering index for the tally

Revision ID: d3e1a7b8c723
Revises: c2d0f6a7b722
Create Date: 2026-12-03 23:00:00

"""
from alembic import op
import sqlalchemy as sa

import app.dbtypes


# revision identifiers, used by Alembic.
revision = 'd3e1a7b8c723'
down_revision = 'c2d0f6a7b722'
branch_labels = None
depends_on = None


TALLY_INCLUDED_COLUMNS = ["state", "percent", "status", "submitted_at", "due_on_at_submission", "version", "id"]


def upgrade():
    # PostgreSQL: the roll-up's tally and ETag become index-only scans; SQLite ignores INCLUDE (plain composite)
    op.create_index("ix_progress_reports_tally", "progress_reports", ["round_id", "sub_item_id", "unit_id"],
                    unique=False, postgresql_include=TALLY_INCLUDED_COLUMNS)


def downgrade():
    op.drop_index("ix_progress_reports_tally", table_name="progress_reports")
