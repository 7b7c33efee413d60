"""feeds bodies updated

Revision ID: e2f0c6a9b712
Revises: d1a9c5b8f711
Create Date: 2026-12-03 20:00:00

"""
from alembic import op
import sqlalchemy as sa

import app.dbtypes


# revision identifiers, used by Alembic.
revision = 'e2f0c6a9b712'
down_revision = 'd1a9c5b8f711'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('bodies', schema=None) as batch_op:
        batch_op.add_column(sa.Column('updated_at', app.dbtypes.UTCDateTime(timezone=True), nullable=True))
    op.execute("UPDATE bodies SET updated_at = CURRENT_TIMESTAMP")
    with op.batch_alter_table('bodies', schema=None) as batch_op:
        batch_op.alter_column('updated_at', existing_type=app.dbtypes.UTCDateTime(timezone=True), nullable=False)


def downgrade():
    with op.batch_alter_table('bodies', schema=None) as batch_op:
        batch_op.drop_column('updated_at')
