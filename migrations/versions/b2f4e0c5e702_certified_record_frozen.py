"""certified minutes snapshot, lateness decided at delivery

Revision ID: b2f4e0c5e702
Revises: a1c0de5e7701
Create Date: 2026-12-03 16:30:00

"""
from alembic import op
import sqlalchemy as sa

import app.dbtypes


# revision identifiers, used by Alembic.
revision = 'b2f4e0c5e702'
down_revision = 'a1c0de5e7701'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
