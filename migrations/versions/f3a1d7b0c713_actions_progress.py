"""actions progress

Revision ID: f3a1d7b0c713
Revises: e2f0c6a9b712
Create Date: 2026-12-03 20:00:00

"""
from alembic import op
import sqlalchemy as sa

import app.dbtypes


# revision identifiers, used by Alembic.
revision = 'f3a1d7b0c713'
down_revision = 'e2f0c6a9b712'
branch_labels = None
depends_on = None


# An assigned action is marked done by its owner unit before the secretariat closes it; every step and
# every progress note is kept in action_notes (who, when, what).
OLD_STATUSES = "status IN ('open', 'closed')"
NEW_STATUSES = "status IN ('open', 'done', 'closed')"


def upgrade():
    op.create_table('action_notes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('action_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('created_at', app.dbtypes.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint("kind IN ('progress', 'done', 'closed', 'reopened')", name=op.f('ck_action_notes_kind')),
    sa.ForeignKeyConstraint(['action_id'], ['action_items.id'], name=op.f('fk_action_notes_action_id_action_items'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_action_notes_user_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_action_notes'))
    )
    with op.batch_alter_table('action_notes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_action_notes_action_id'), ['action_id'], unique=False)

    with op.batch_alter_table('action_items', schema=None) as batch_op:
        batch_op.add_column(sa.Column('done_at', app.dbtypes.UTCDateTime(timezone=True), nullable=True))
        batch_op.drop_constraint(op.f('ck_action_items_status'), type_='check')
        batch_op.create_check_constraint(op.f('ck_action_items_status'), NEW_STATUSES)


def downgrade():
    # The old schema knows no "done": such actions are open again (their notes go with the table).
    op.execute("UPDATE action_items SET status = 'open' WHERE status = 'done'")
    with op.batch_alter_table('action_items', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_action_items_status'), type_='check')
        batch_op.create_check_constraint(op.f('ck_action_items_status'), OLD_STATUSES)
        batch_op.drop_column('done_at')

    with op.batch_alter_table('action_notes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_action_notes_action_id'))

    op.drop_table('action_notes')
