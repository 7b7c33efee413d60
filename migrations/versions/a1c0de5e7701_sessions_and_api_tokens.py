"""sessions and sign-in: session version, token names and expiry

Revision ID: a1c0de5e7701
Revises: 19f9e55a535f
Create Date: 2026-12-03 16:30:00

"""
from alembic import op
import sqlalchemy as sa

import app.dbtypes


# revision identifiers, used by Alembic.
revision = 'a1c0de5e7701'
down_revision = '19f9e55a535f'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
