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
    op.create_table('minutes_snapshots',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('minutes_id', sa.Integer(), nullable=False),
    sa.Column('docx', sa.LargeBinary(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('created_at', app.dbtypes.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['minutes_id'], ['minutes.id'], name=op.f('fk_minutes_snapshots_minutes_id_minutes'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_minutes_snapshots')),
    sa.UniqueConstraint('minutes_id', name=op.f('uq_minutes_snapshots_minutes_id'))
    )
    with op.batch_alter_table('progress_reports', schema=None) as batch_op:
        batch_op.add_column(sa.Column('due_on_at_submission', sa.Date(), nullable=True))
    # Reports delivered before this revision: the round's due date is the best record of what was due.
    op.execute("UPDATE progress_reports SET due_on_at_submission = (SELECT reporting_rounds.due_date "
               "FROM reporting_rounds WHERE reporting_rounds.id = progress_reports.round_id) "
               "WHERE submitted_at IS NOT NULL")


def downgrade():
    with op.batch_alter_table('progress_reports', schema=None) as batch_op:
        batch_op.drop_column('due_on_at_submission')
    op.drop_table('minutes_snapshots')
