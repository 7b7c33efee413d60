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


def upgrade():
    pass


def downgrade():
    pass
