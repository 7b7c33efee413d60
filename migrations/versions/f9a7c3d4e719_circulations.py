"""H4 resolutions by circulation

Revision ID: f9a7c3d4e719
Revises: e8f6b2c3d718
Create Date: 2026-12-03 23:00:00

"""
from alembic import op
import sqlalchemy as sa

import app.dbtypes


# revision identifiers, used by Alembic.
revision = 'f9a7c3d4e719'
down_revision = 'e8f6b2c3d718'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
