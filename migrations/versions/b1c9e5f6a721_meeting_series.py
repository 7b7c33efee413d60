"""H6 meeting series

Revision ID: b1c9e5f6a721
Revises: a0b8d4e5f720
Create Date: 2026-12-03 23:00:00

"""
from alembic import op
import sqlalchemy as sa

import app.dbtypes


# revision identifiers, used by Alembic.
revision = 'b1c9e5f6a721'
down_revision = 'a0b8d4e5f720'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
