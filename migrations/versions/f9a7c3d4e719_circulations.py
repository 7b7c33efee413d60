"""H4 resolutions by circulation

Revision ID: f9a7c3d4e719
Revises: e8f6b2c3d718
Create Date: 2026-12-03 23:00:00

"""
from alembic import op
import sqlalchemy as sa

import app.dbtypes


# revision identifiers, used by Alembic.
revision = 'f9a7c3d4e719'
down_revision = 'e8f6b2c3d718'
branch_labels = None
depends_on = None


# Matters circulated to a body's members for a resolution (มติเวียน), one answer row per member asked, and the
# papers: attachments get a third owner, circulations.

OLD_ONE_OWNER = ("(agenda_item_id IS NOT NULL AND report_id IS NULL) OR "
                 "(agenda_item_id IS NULL AND report_id IS NOT NULL)")
NEW_ONE_OWNER = ("(CASE WHEN agenda_item_id IS NULL THEN 0 ELSE 1 END) + (CASE WHEN report_id IS NULL THEN 0 ELSE 1 END)"
                 " + (CASE WHEN circulation_id IS NULL THEN 0 ELSE 1 END) = 1")


def upgrade():
    op.create_table('circulations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('body_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=500), nullable=False),
    sa.Column('detail', sa.Text(), nullable=True),
    sa.Column('question', sa.Text(), nullable=False),
    sa.Column('deadline', app.dbtypes.UTCDateTime(timezone=True), nullable=False),
    sa.Column('state', sa.String(length=8), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', app.dbtypes.UTCDateTime(timezone=True), nullable=False),
    sa.Column('closed_at', app.dbtypes.UTCDateTime(timezone=True), nullable=True),
    sa.Column('close_reason', sa.String(length=12), nullable=True),
    sa.Column('result', sa.JSON(), nullable=True),
    sa.Column('agenda_item_id', sa.Integer(), nullable=True),
    sa.CheckConstraint("state IN ('open', 'closed')", name=op.f('ck_circulations_state')),
    sa.CheckConstraint("close_reason IS NULL OR close_reason IN ('deadline', 'all_answered', 'closed')",
                       name=op.f('ck_circulations_close_reason')),
    sa.CheckConstraint("state <> 'closed' OR result IS NOT NULL", name=op.f('ck_circulations_closed_has_result')),
    sa.ForeignKeyConstraint(['agenda_item_id'], ['agenda_items.id'],
                            name=op.f('fk_circulations_agenda_item_id_agenda_items'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['body_id'], ['bodies.id'], name=op.f('fk_circulations_body_id_bodies'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_circulations_created_by_id_users'),
                            ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_circulations'))
    )
    with op.batch_alter_table('circulations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_circulations_body_id'), ['body_id'], unique=False)

    op.create_table('circulation_answers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('circulation_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('answer', sa.String(length=8), nullable=True),
    sa.Column('comment', sa.Text(), nullable=True),
    sa.Column('answered_at', app.dbtypes.UTCDateTime(timezone=True), nullable=True),
    sa.CheckConstraint("answer IS NULL OR answer IN ('approve', 'reject', 'comment')",
                       name=op.f('ck_circulation_answers_answer')),
    sa.ForeignKeyConstraint(['circulation_id'], ['circulations.id'],
                            name=op.f('fk_circulation_answers_circulation_id_circulations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_circulation_answers_user_id_users'),
                            ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_circulation_answers')),
    sa.UniqueConstraint('circulation_id', 'user_id', name=op.f('uq_circulation_answers_circulation_id_user_id'))
    )
    with op.batch_alter_table('circulation_answers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_circulation_answers_circulation_id'), ['circulation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_circulation_answers_user_id'), ['user_id'], unique=False)

    with op.batch_alter_table('attachments', schema=None) as batch_op:
        batch_op.add_column(sa.Column('circulation_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_attachments_circulation_id'), ['circulation_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_attachments_circulation_id_circulations'), 'circulations',
                                    ['circulation_id'], ['id'], ondelete='CASCADE')
        batch_op.drop_constraint(op.f('ck_attachments_one_owner'), type_='check')
        batch_op.create_check_constraint(op.f('ck_attachments_one_owner'), NEW_ONE_OWNER)


def downgrade():
    # The old schema knows no circulations: their papers go with them.
    op.execute("DELETE FROM attachments WHERE circulation_id IS NOT NULL")
    with op.batch_alter_table('attachments', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_attachments_one_owner'), type_='check')
        batch_op.create_check_constraint(op.f('ck_attachments_one_owner'), OLD_ONE_OWNER)
        batch_op.drop_constraint(batch_op.f('fk_attachments_circulation_id_circulations'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_attachments_circulation_id'))
        batch_op.drop_column('circulation_id')

    with op.batch_alter_table('circulation_answers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_circulation_answers_user_id'))
        batch_op.drop_index(batch_op.f('ix_circulation_answers_circulation_id'))
    op.drop_table('circulation_answers')

    with op.batch_alter_table('circulations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_circulations_body_id'))
    op.drop_table('circulations')
