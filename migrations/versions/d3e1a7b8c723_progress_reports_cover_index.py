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


def upgrade():
    pass


def downgrade():
    pass
