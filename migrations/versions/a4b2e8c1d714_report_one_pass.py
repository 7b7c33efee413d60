"""report one pass

Revision ID: a4b2e8c1d714
Revises: f3a1d7b0c713
Create Date: 2026-12-03 20:00:00

"""
from alembic import op
import sqlalchemy as sa

import app.dbtypes


# revision identifiers, used by Alembic.
revision = 'a4b2e8c1d714'
down_revision = 'f3a1d7b0c713'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
