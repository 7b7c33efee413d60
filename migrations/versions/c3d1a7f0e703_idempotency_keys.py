"""idempotency keys for API creations

Revision ID: c3d1a7f0e703
Revises: b2f4e0c5e702
Create Date: 2026-12-03 16:30:00

"""
from alembic import op
import sqlalchemy as sa

import app.dbtypes


# revision identifiers, used by Alembic.
revision = 'c3d1a7f0e703'
down_revision = 'b2f4e0c5e702'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
