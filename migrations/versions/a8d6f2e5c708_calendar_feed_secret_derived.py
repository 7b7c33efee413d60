"""calendar feed secrets derived from the user id, no stored hash

Revision ID: a8d6f2e5c708
Revises: f6b4d0c3a706
Create Date: 2026-12-03 17:40:00

The feed secret is now "<user id>-<HMAC of SECRET_KEY, id and nonce>": it is checked by recomputing it,
so the hash column goes. Existing feed URLs change once (users copy the new one from /profile).
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'a8d6f2e5c708'
down_revision = 'f6b4d0c3a706'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_constraint('uq_users_calendar_feed_hash', type_='unique')
        batch_op.drop_column('calendar_feed_hash')


def downgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('calendar_feed_hash', sa.String(length=64), nullable=True))
        batch_op.create_unique_constraint('uq_users_calendar_feed_hash', ['calendar_feed_hash'])
