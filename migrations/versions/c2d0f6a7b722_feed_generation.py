"""feeds: a generation counter for 304s

Revision ID: c2d0f6a7b722
Revises: b1c9e5f6a721
Create Date: 2026-12-03 23:00:00

"""
from alembic import op
import sqlalchemy as sa

import app.dbtypes


# revision identifiers, used by Alembic.
revision = 'c2d0f6a7b722'
down_revision = 'b1c9e5f6a721'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
