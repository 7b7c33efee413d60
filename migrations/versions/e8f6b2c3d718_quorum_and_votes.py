"""H3 quorum and votes

Revision ID: e8f6b2c3d718
Revises: d7e5a1b2c717
Create Date: 2026-12-03 23:00:00

"""
from alembic import op
import sqlalchemy as sa

import app.dbtypes


# revision identifiers, used by Alembic.
revision = 'e8f6b2c3d718'
down_revision = 'd7e5a1b2c717'
branch_labels = None
depends_on = None


# Each body's quorum rule (more than half of its members by default, or a count, or a fraction) and whether
# delegates count; votes on agenda items, who voted (once each), and the secret ballots kept apart from voters.


def upgrade():
    with op.batch_alter_table('bodies', schema=None) as batch_op:
        batch_op.add_column(sa.Column('quorum_kind', sa.String(length=10), server_default='majority', nullable=False))
        batch_op.add_column(sa.Column('quorum_value', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('quorum_denominator', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('delegates_count', sa.Boolean(), server_default=sa.true(), nullable=False))
        batch_op.create_check_constraint(op.f('ck_bodies_quorum_kind'), "quorum_kind IN ('majority', 'count', 'fraction')")

    op.create_table('votes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('agenda_item_id', sa.Integer(), nullable=False),
    sa.Column('question', sa.String(length=500), nullable=False),
    sa.Column('secret', sa.Boolean(), nullable=False),
    sa.Column('options', sa.JSON(), nullable=False),
    sa.Column('majority', sa.String(length=12), nullable=False),
    sa.Column('weights', sa.JSON(), nullable=True),
    sa.Column('state', sa.String(length=8), nullable=False),
    sa.Column('opened_at', app.dbtypes.UTCDateTime(timezone=True), nullable=False),
    sa.Column('closes_at', app.dbtypes.UTCDateTime(timezone=True), nullable=True),
    sa.Column('closed_at', app.dbtypes.UTCDateTime(timezone=True), nullable=True),
    sa.Column('opened_by_id', sa.Integer(), nullable=True),
    sa.Column('quorum_override_reason', sa.Text(), nullable=True),
    sa.Column('casting_vote', sa.String(length=500), nullable=True),
    sa.Column('result', sa.JSON(), nullable=True),
    sa.CheckConstraint("majority IN ('simple', 'two_thirds', 'absolute')", name=op.f('ck_votes_majority')),
    sa.CheckConstraint("state IN ('open', 'closed')", name=op.f('ck_votes_state')),
    sa.CheckConstraint("state <> 'closed' OR result IS NOT NULL", name=op.f('ck_votes_closed_has_result')),
    sa.ForeignKeyConstraint(['agenda_item_id'], ['agenda_items.id'], name=op.f('fk_votes_agenda_item_id_agenda_items'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['opened_by_id'], ['users.id'], name=op.f('fk_votes_opened_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_votes'))
    )
    with op.batch_alter_table('votes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_votes_agenda_item_id'), ['agenda_item_id'], unique=False)

    op.create_table('vote_voters',
    sa.Column('vote_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('by_hand', sa.Boolean(), nullable=False),
    sa.Column('choice', sa.String(length=500), nullable=True),
    sa.Column('weight', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_vote_voters_user_id_users'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['vote_id'], ['votes.id'], name=op.f('fk_vote_voters_vote_id_votes'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('vote_id', 'user_id', name=op.f('pk_vote_voters'))
    )

    op.create_table('secret_ballots',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('vote_id', sa.Integer(), nullable=False),
    sa.Column('choice', sa.String(length=500), nullable=False),
    sa.ForeignKeyConstraint(['vote_id'], ['votes.id'], name=op.f('fk_secret_ballots_vote_id_votes'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_secret_ballots'))
    )
    with op.batch_alter_table('secret_ballots', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_secret_ballots_vote_id'), ['vote_id'], unique=False)


def downgrade():
    with op.batch_alter_table('secret_ballots', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_secret_ballots_vote_id'))
    op.drop_table('secret_ballots')

    op.drop_table('vote_voters')

    with op.batch_alter_table('votes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_votes_agenda_item_id'))
    op.drop_table('votes')

    with op.batch_alter_table('bodies', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_bodies_quorum_kind'), type_='check')
        batch_op.drop_column('delegates_count')
        batch_op.drop_column('quorum_denominator')
        batch_op.drop_column('quorum_value')
        batch_op.drop_column('quorum_kind')
