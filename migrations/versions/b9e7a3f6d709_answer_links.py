"""one-click answers and what a change resets

Revision ID: b9e7a3f6d709
Revises: a8d6f2e5c708
Create Date: 2026-12-03 18:00:00

"""
from alembic import op
import sqlalchemy as sa

import app.dbtypes


# revision identifiers, used by Alembic.
revision = 'b9e7a3f6d709'
down_revision = 'a8d6f2e5c708'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
