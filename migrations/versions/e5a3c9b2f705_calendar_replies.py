"""tentative answers, calendar replies

Revision ID: e5a3c9b2f705
Revises: d4e2b8a1e704
Create Date: 2026-12-03 17:00:00

"""
from alembic import op
import sqlalchemy as sa

import app.dbtypes


# revision identifiers, used by Alembic.
revision = 'e5a3c9b2f705'
down_revision = 'd4e2b8a1e704'
branch_labels = None
depends_on = None


# "tentative" (ยังไม่แน่ใจ) joins the answers a member can give, from the web, the API or a calendar program.
OLD_RESPONSES = "response IN ('accepted', 'declined', 'delegated')"
NEW_RESPONSES = "response IN ('accepted', 'declined', 'delegated', 'tentative')"


def upgrade():
    with op.batch_alter_table('rsvps', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_rsvps_response'), type_='check')
        batch_op.create_check_constraint(op.f('ck_rsvps_response'), NEW_RESPONSES)


def downgrade():
    # The old schema has no "not sure yet": such an answer goes back to no answer at all.
    op.execute("DELETE FROM rsvps WHERE response = 'tentative'")
    with op.batch_alter_table('rsvps', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_rsvps_response'), type_='check')
        batch_op.create_check_constraint(op.f('ck_rsvps_response'), OLD_RESPONSES)
