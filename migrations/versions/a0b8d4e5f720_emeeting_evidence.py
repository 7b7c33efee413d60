"""H5 e-meeting evidence and check-in

Revision ID: a0b8d4e5f720
Revises: f9a7c3d4e719
Create Date: 2026-12-03 23:00:00

"""
from alembic import op
import sqlalchemy as sa

import app.dbtypes


# revision identifiers, used by Alembic.
revision = 'a0b8d4e5f720'
down_revision = 'f9a7c3d4e719'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
