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
    op.create_table('meeting_guests',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('organisation', sa.String(length=300), nullable=True),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('position', sa.String(length=300), nullable=True),
    sa.Column('response', sa.String(length=10), nullable=True),
    sa.Column('answered_at', app.dbtypes.UTCDateTime(timezone=True), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('delegate_name', sa.String(length=200), nullable=True),
    sa.Column('created_at', app.dbtypes.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint("response IN ('accepted', 'declined', 'tentative', 'delegated')", name=op.f('ck_meeting_guests_response')),
    sa.ForeignKeyConstraint(['meeting_id'], ['meetings.id'], name=op.f('fk_meeting_guests_meeting_id_meetings'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_meeting_guests')),
    sa.UniqueConstraint('meeting_id', 'email', name=op.f('uq_meeting_guests_meeting_id_email'))
    )
    with op.batch_alter_table('meeting_guests', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_meeting_guests_meeting_id'), ['meeting_id'], unique=False)

    with op.batch_alter_table('attendance', schema=None) as batch_op:
        batch_op.add_column(sa.Column('guest_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_attendance_guest_id_meeting_guests'), 'meeting_guests', ['guest_id'], ['id'], ondelete='SET NULL')


def downgrade():
    with op.batch_alter_table('attendance', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_attendance_guest_id_meeting_guests'), type_='foreignkey')
        batch_op.drop_column('guest_id')

    with op.batch_alter_table('meeting_guests', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_meeting_guests_meeting_id'))

    op.drop_table('meeting_guests')
