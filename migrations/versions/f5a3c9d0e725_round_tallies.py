"""maintained round tallies

Revision ID: f5a3c9d0e725
Revises: e4f2b8c9d724
Create Date: 2026-12-04 04:10:00

"""
from alembic import op
import sqlalchemy as sa

import app.dbtypes


# revision identifiers, used by Alembic.
revision = 'f5a3c9d0e725'
down_revision = 'e4f2b8c9d724'
branch_labels = None
depends_on = None


STATUSES = ('not_started', 'on_track', 'at_risk', 'delayed', 'completed')


def upgrade():
    op.create_table(
        'round_tallies',
        sa.Column('round_id', sa.Integer(), nullable=False),
        sa.Column('sub_item_id', sa.Integer(), nullable=False),
        sa.Column('expected', sa.Integer(), nullable=False),
        sa.Column('received', sa.Integer(), nullable=False),
        sa.Column('accepted', sa.Integer(), nullable=False),
        sa.Column('percent_sum', sa.Integer(), nullable=False),
        sa.Column('late_received', sa.Integer(), nullable=False),
        *[sa.Column(f'received_{status}', sa.Integer(), nullable=False) for status in STATUSES],
        sa.ForeignKeyConstraint(['round_id'], ['reporting_rounds.id'],
                                name=op.f('fk_round_tallies_round_id_reporting_rounds'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['sub_item_id'], ['sub_items.id'],
                                name=op.f('fk_round_tallies_sub_item_id_sub_items'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('round_id', 'sub_item_id', name=op.f('pk_round_tallies')),
    )
    with op.batch_alter_table('round_tallies', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_round_tallies_sub_item_id'), ['sub_item_id'], unique=False)
    op.execute(filled_tallies(op.get_bind().dialect.name))
    with op.batch_alter_table('reporting_rounds', schema=None) as batch_op:
        batch_op.add_column(sa.Column('revision', sa.Integer(), server_default='0', nullable=False))


def filled_tallies(dialect: str) -> str:
    """INSERT … SELECT of the figures of the reports already filed (app.reports.tallies keeps them from now on)."""
    if dialect == 'postgresql':
        delivered_day = "CAST(timezone('Asia/Bangkok', p.submitted_at) AS DATE)"
    else:
        delivered_day = "date(p.submitted_at, '+7 hours')"
    per_status = ', '.join(f"coalesce(sum(CASE WHEN p.status = '{s}' THEN 1 ELSE 0 END), 0)" for s in STATUSES)
    return (
        "INSERT INTO round_tallies (round_id, sub_item_id, expected, received, accepted, percent_sum, late_received, "
        + ', '.join(f'received_{status}' for status in STATUSES) + ") "
        "SELECT r.id, s.id, count(*), count(p.id), "
        "coalesce(sum(CASE WHEN p.state = 'accepted' THEN 1 ELSE 0 END), 0), coalesce(sum(p.percent), 0), "
        f"coalesce(sum(CASE WHEN {delivered_day} > coalesce(p.due_on_at_submission, r.due_date) THEN 1 ELSE 0 END), "
        "0), "
        f"{per_status} "
        "FROM reporting_rounds r JOIN themes t ON t.plan_id = r.plan_id JOIN sub_items s ON s.theme_id = t.id "
        "JOIN sub_item_units u ON u.sub_item_id = s.id "
        "LEFT OUTER JOIN progress_reports p ON p.round_id = r.id AND p.sub_item_id = s.id AND p.unit_id = u.unit_id "
        "AND p.state IN ('submitted', 'resubmitted', 'accepted') "
        "GROUP BY r.id, s.id"
    )


def downgrade():
    with op.batch_alter_table('reporting_rounds', schema=None) as batch_op:
        batch_op.drop_column('revision')
    with op.batch_alter_table('round_tallies', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_round_tallies_sub_item_id'))
    op.drop_table('round_tallies')
