"""invitation letters: the body's letter form, prefix, sender and yearly number; the number on the meeting

Revision ID: b5c3f9d2e715
Revises: a4b2e8c1d714
Create Date: 2026-12-03 20:00:00

"""
from alembic import op
import sqlalchemy as sa

import app.dbtypes


# revision identifiers, used by Alembic.
revision = 'b5c3f9d2e715'
down_revision = 'a4b2e8c1d714'
branch_labels = None
depends_on = None


LETTER_COLUMNS = ("letter_form", "document_prefix", "letter_office", "letter_address", "letter_phone",
                  "letter_signer_name", "letter_signer_position", "letter_year", "letter_number")


def upgrade():
    with op.batch_alter_table('bodies', schema=None) as batch_op:
        batch_op.add_column(sa.Column('letter_form', sa.String(length=10), server_default='external', nullable=False))
        batch_op.add_column(sa.Column('document_prefix', sa.String(length=40), nullable=True))
        batch_op.add_column(sa.Column('letter_office', sa.String(length=300), nullable=True))
        batch_op.add_column(sa.Column('letter_address', sa.String(length=500), nullable=True))
        batch_op.add_column(sa.Column('letter_phone', sa.String(length=60), nullable=True))
        batch_op.add_column(sa.Column('letter_signer_name', sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column('letter_signer_position', sa.String(length=300), nullable=True))
        batch_op.add_column(sa.Column('letter_year', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('letter_number', sa.Integer(), server_default='0', nullable=False))
        batch_op.create_check_constraint(op.f('ck_bodies_letter_form'), "letter_form IN ('external', 'memo')")
    with op.batch_alter_table('meetings', schema=None) as batch_op:
        batch_op.add_column(sa.Column('invitation_number', sa.String(length=80), nullable=True))
        batch_op.add_column(sa.Column('invitation_issued_on', sa.Date(), nullable=True))


def downgrade():
    with op.batch_alter_table('meetings', schema=None) as batch_op:
        batch_op.drop_column('invitation_issued_on')
        batch_op.drop_column('invitation_number')
    with op.batch_alter_table('bodies', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_bodies_letter_form'), type_='check')
        for column in reversed(LETTER_COLUMNS):
            batch_op.drop_column(column)
