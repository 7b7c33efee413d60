"""followed bodies, feed reminders, meeting days

Revision ID: d1a9c5b8f711
Revises: c0f8b4a7e710
Create Date: 2026-12-03 18:00:00

"""
from alembic import op
import sqlalchemy as sa

import app.dbtypes


# revision identifiers, used by Alembic.
revision = 'd1a9c5b8f711'
down_revision = 'c0f8b4a7e710'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
