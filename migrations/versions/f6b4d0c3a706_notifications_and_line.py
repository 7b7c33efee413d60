"""notification preferences, LINE links and pushes

Revision ID: f6b4d0c3a706
Revises: e5a3c9b2f705
Create Date: 2026-12-03 17:00:00

"""
from alembic import op
import sqlalchemy as sa

import app.dbtypes


# revision identifiers, used by Alembic.
revision = 'f6b4d0c3a706'
down_revision = 'e5a3c9b2f705'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('notification_preferences',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('email', sa.Boolean(), nullable=False),
    sa.Column('line', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_notification_preferences_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_notification_preferences')),
    sa.UniqueConstraint('user_id', 'kind', name=op.f('uq_notification_preferences_user_id_kind'))
    )
    op.create_table('line_link_codes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('code_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', app.dbtypes.UTCDateTime(timezone=True), nullable=False),
    sa.Column('expires_at', app.dbtypes.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_line_link_codes_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_line_link_codes')),
    sa.UniqueConstraint('code_hash', name=op.f('uq_line_link_codes_code_hash')),
    sa.UniqueConstraint('user_id', name=op.f('uq_line_link_codes_user_id'))
    )
    op.create_table('outgoing_line',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('to_line_id', sa.String(length=64), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('retry_key', sa.String(length=36), nullable=False),
    sa.Column('created_at', app.dbtypes.UTCDateTime(timezone=True), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('last_error', sa.Text(), nullable=True),
    sa.Column('sent_at', app.dbtypes.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_outgoing_line_user_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_outgoing_line'))
    )
    with op.batch_alter_table('outgoing_line', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_outgoing_line_sent_at'), ['sent_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_outgoing_line_user_id'), ['user_id'], unique=False)

    op.create_table('notices_sent',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('object_type', sa.String(length=40), nullable=False),
    sa.Column('object_id', sa.Integer(), nullable=False),
    sa.Column('sent_on', sa.Date(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_notices_sent_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_notices_sent')),
    sa.UniqueConstraint('user_id', 'kind', 'object_type', 'object_id', 'sent_on',
                        name=op.f('uq_notices_sent_user_id_kind_object_type_object_id_sent_on'))
    )
    with op.batch_alter_table('notices_sent', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_notices_sent_user_id'), ['user_id'], unique=False)

    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('line_user_id', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('line_linked_at', app.dbtypes.UTCDateTime(timezone=True), nullable=True))
        batch_op.create_unique_constraint(batch_op.f('uq_users_line_user_id'), ['line_user_id'])

    with op.batch_alter_table('outgoing_mail', schema=None) as batch_op:
        batch_op.add_column(sa.Column('body_html', sa.Text(), nullable=True))

    with op.batch_alter_table('minutes', schema=None) as batch_op:
        batch_op.add_column(sa.Column('comment_deadline', sa.Date(), nullable=True))


def downgrade():
    with op.batch_alter_table('minutes', schema=None) as batch_op:
        batch_op.drop_column('comment_deadline')

    with op.batch_alter_table('outgoing_mail', schema=None) as batch_op:
        batch_op.drop_column('body_html')

    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_users_line_user_id'), type_='unique')
        batch_op.drop_column('line_linked_at')
        batch_op.drop_column('line_user_id')

    with op.batch_alter_table('notices_sent', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_notices_sent_user_id'))

    op.drop_table('notices_sent')
    with op.batch_alter_table('outgoing_line', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_outgoing_line_user_id'))
        batch_op.drop_index(batch_op.f('ix_outgoing_line_sent_at'))

    op.drop_table('outgoing_line')
    op.drop_table('line_link_codes')
    op.drop_table('notification_preferences')
