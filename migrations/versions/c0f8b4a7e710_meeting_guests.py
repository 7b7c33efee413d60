"""guests without an account

Revision ID: c0f8b4a7e710
Revises: b9e7a3f6d709
Create Date: 2026-12-03 18:00:00

"""
from alembic import op
import sqlalchemy as sa

import app.dbtypes


# revision identifiers, used by Alembic.
revision = 'c0f8b4a7e710'
down_revision = 'b9e7a3f6d709'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
