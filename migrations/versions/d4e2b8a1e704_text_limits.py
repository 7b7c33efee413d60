"""text limits and input checks

Revision ID: d4e2b8a1e704
Revises: c3d1a7f0e703
Create Date: 2026-12-03 16:30:00

"""
from alembic import op
import sqlalchemy as sa

import app.dbtypes


# revision identifiers, used by Alembic.
revision = 'd4e2b8a1e704'
down_revision = 'c3d1a7f0e703'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
