"""H5 e-meeting evidence and check-in

Revision ID: a0b8d4e5f720
Revises: f9a7c3d4e719
Create Date: 2026-12-03 23:00:00

"""
from alembic import op
import sqlalchemy as sa

import app.dbtypes


# revision identifiers, used by Alembic.
revision = 'a0b8d4e5f720'
down_revision = 'f9a7c3d4e719'
branch_labels = None
depends_on = None


# Each online attendee's identity check (one-time code, video, vouched), the one-time codes (hashed), join and
# leave intervals (typed or imported from Zoom, Webex, Teams), the recording or the secret session, the
# technical-incident log, self check-ins; and the body flag for procurement committees (outside the decree).


def upgrade():
    with op.batch_alter_table('bodies', schema=None) as batch_op:
        batch_op.add_column(sa.Column('procurement', sa.Boolean(), server_default=sa.false(), nullable=False))

    op.create_table('identity_checks',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('method', sa.String(length=10), nullable=False),
    sa.Column('vouched_by_id', sa.Integer(), nullable=True),
    sa.Column('vouched_by_name', sa.String(length=200), nullable=True),
    sa.Column('recorded_by_id', sa.Integer(), nullable=True),
    sa.Column('recorded_by_name', sa.String(length=200), nullable=True),
    sa.Column('confirmed_at', app.dbtypes.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint("method <> 'vouched' OR vouched_by_name IS NOT NULL", name=op.f('ck_identity_checks_vouched_names_voucher')),
    sa.CheckConstraint("method IN ('otp', 'video', 'vouched')", name=op.f('ck_identity_checks_method')),
    sa.ForeignKeyConstraint(['meeting_id'], ['meetings.id'], name=op.f('fk_identity_checks_meeting_id_meetings'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['users.id'], name=op.f('fk_identity_checks_recorded_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_identity_checks_user_id_users'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['vouched_by_id'], ['users.id'], name=op.f('fk_identity_checks_vouched_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_identity_checks'))
    )
    with op.batch_alter_table('identity_checks', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_identity_checks_meeting_id'), ['meeting_id'], unique=False)

    op.create_table('identity_codes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('code_hash', sa.String(length=64), nullable=False),
    sa.Column('expires_at', app.dbtypes.UTCDateTime(timezone=True), nullable=False),
    sa.Column('sent_at', app.dbtypes.UTCDateTime(timezone=True), nullable=False),
    sa.Column('sent_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['meeting_id'], ['meetings.id'], name=op.f('fk_identity_codes_meeting_id_meetings'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['sent_by_id'], ['users.id'], name=op.f('fk_identity_codes_sent_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_identity_codes_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_identity_codes')),
    sa.UniqueConstraint('meeting_id', 'user_id', name=op.f('uq_identity_codes_meeting_id_user_id'))
    )

    op.create_table('participation_intervals',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('guest_id', sa.Integer(), nullable=True),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=True),
    sa.Column('joined_at', app.dbtypes.UTCDateTime(timezone=True), nullable=False),
    sa.Column('left_at', app.dbtypes.UTCDateTime(timezone=True), nullable=False),
    sa.Column('source', sa.String(length=10), nullable=False),
    sa.Column('recorded_at', app.dbtypes.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint("source IN ('manual', 'zoom', 'webex', 'teams')", name=op.f('ck_participation_intervals_source')),
    sa.CheckConstraint('left_at >= joined_at', name=op.f('ck_participation_intervals_leaves_after_join')),
    sa.ForeignKeyConstraint(['guest_id'], ['meeting_guests.id'], name=op.f('fk_participation_intervals_guest_id_meeting_guests'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['meeting_id'], ['meetings.id'], name=op.f('fk_participation_intervals_meeting_id_meetings'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_participation_intervals_user_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_participation_intervals'))
    )
    with op.batch_alter_table('participation_intervals', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_participation_intervals_meeting_id'), ['meeting_id'], unique=False)

    op.create_table('meeting_recordings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('url', sa.String(length=1000), nullable=True),
    sa.Column('sha256', sa.String(length=64), nullable=True),
    sa.Column('secret', sa.Boolean(), nullable=False),
    sa.Column('recorded_by_id', sa.Integer(), nullable=True),
    sa.Column('updated_at', app.dbtypes.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint('secret OR (url IS NOT NULL AND sha256 IS NOT NULL)', name=op.f('ck_meeting_recordings_located_unless_secret')),
    sa.ForeignKeyConstraint(['meeting_id'], ['meetings.id'], name=op.f('fk_meeting_recordings_meeting_id_meetings'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['users.id'], name=op.f('fk_meeting_recordings_recorded_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_meeting_recordings')),
    sa.UniqueConstraint('meeting_id', name=op.f('uq_meeting_recordings_meeting_id'))
    )

    op.create_table('technical_incidents',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('reporter_name', sa.String(length=200), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('reported_at', app.dbtypes.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['meeting_id'], ['meetings.id'], name=op.f('fk_technical_incidents_meeting_id_meetings'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_technical_incidents_user_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_technical_incidents'))
    )
    with op.batch_alter_table('technical_incidents', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_technical_incidents_meeting_id'), ['meeting_id'], unique=False)

    op.create_table('check_ins',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('place', sa.String(length=10), nullable=False),
    sa.Column('checked_in_at', app.dbtypes.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint("place IN ('onsite', 'online')", name=op.f('ck_check_ins_place')),
    sa.ForeignKeyConstraint(['meeting_id'], ['meetings.id'], name=op.f('fk_check_ins_meeting_id_meetings'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_check_ins_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_check_ins')),
    sa.UniqueConstraint('meeting_id', 'user_id', 'day', name=op.f('uq_check_ins_meeting_id_user_id_day'))
    )
    with op.batch_alter_table('check_ins', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_check_ins_meeting_id'), ['meeting_id'], unique=False)


def downgrade():
    with op.batch_alter_table('check_ins', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_check_ins_meeting_id'))
    op.drop_table('check_ins')

    with op.batch_alter_table('technical_incidents', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_technical_incidents_meeting_id'))
    op.drop_table('technical_incidents')

    op.drop_table('meeting_recordings')

    with op.batch_alter_table('participation_intervals', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_participation_intervals_meeting_id'))
    op.drop_table('participation_intervals')

    op.drop_table('identity_codes')

    with op.batch_alter_table('identity_checks', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_identity_checks_meeting_id'))
    op.drop_table('identity_checks')

    with op.batch_alter_table('bodies', schema=None) as batch_op:
        batch_op.drop_column('procurement')
