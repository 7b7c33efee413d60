"""H3 quorum and votes

Revision ID: e8f6b2c3d718
Revises: d7e5a1b2c717
Create Date: 2026-12-03 23:00:00

"""
from alembic import op
import sqlalchemy as sa

import app.dbtypes


# revision identifiers, used by Alembic.
revision = 'e8f6b2c3d718'
down_revision = 'd7e5a1b2c717'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
