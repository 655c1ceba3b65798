"""Initial schema: users, no-contact record, slips, cravings, vault, exercises, reasons.

Times are stored as naive UTC (bot.store.models.UTCDateTime). Rasa's `events` table is
not here: Rasa's tracker store creates it.

Revision ID: 0001
Revises:
Create Date: 2026-11-25
"""
from alembic import op
import sqlalchemy as sa


revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('users',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('channel', sa.String(length=32), nullable=False),
    sa.Column('channel_user_id', sa.String(length=255), nullable=False),
    sa.Column('country', sa.String(length=8), nullable=True),
    sa.Column('timezone', sa.String(length=64), nullable=True),
    sa.Column('false_alarms', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('last_seen_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_users')),
    sa.UniqueConstraint('channel', 'channel_user_id', name=op.f('uq_users_channel'))
    )
    op.create_table('cravings',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('user_id', sa.String(length=36), nullable=False),
    sa.Column('logged_at', sa.DateTime(), nullable=False),
    sa.Column('intensity_before', sa.Integer(), nullable=False),
    sa.Column('tool', sa.String(length=64), nullable=False),
    sa.Column('intensity_after', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_cravings_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_cravings'))
    )
    with op.batch_alter_table('cravings', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_cravings_user_id'), ['user_id'], unique=False)

    op.create_table('exercise_log',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('user_id', sa.String(length=36), nullable=False),
    sa.Column('exercise_id', sa.String(length=64), nullable=False),
    sa.Column('helped', sa.Boolean(), nullable=True),
    sa.Column('done_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_exercise_log_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_exercise_log'))
    )
    with op.batch_alter_table('exercise_log', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_exercise_log_user_id'), ['user_id'], unique=False)

    op.create_table('no_contact',
    sa.Column('user_id', sa.String(length=36), nullable=False),
    sa.Column('started_at', sa.DateTime(), nullable=True),
    sa.Column('longest_days', sa.Integer(), nullable=False),
    sa.Column('slips', sa.Integer(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_no_contact_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', name=op.f('pk_no_contact'))
    )
    op.create_table('reasons',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('user_id', sa.String(length=36), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_reasons_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reasons'))
    )
    with op.batch_alter_table('reasons', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_reasons_user_id'), ['user_id'], unique=False)

    op.create_table('slips',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('user_id', sa.String(length=36), nullable=False),
    sa.Column('slipped_at', sa.DateTime(), nullable=False),
    sa.Column('streak_days', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_slips_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_slips'))
    )
    with op.batch_alter_table('slips', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_slips_user_id'), ['user_id'], unique=False)

    op.create_table('vault_entries',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('user_id', sa.String(length=36), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('revisit_after', sa.DateTime(), nullable=False),
    sa.Column('revisited_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_vault_entries_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_vault_entries'))
    )
    with op.batch_alter_table('vault_entries', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_vault_entries_user_id'), ['user_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('vault_entries', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_vault_entries_user_id'))

    op.drop_table('vault_entries')
    with op.batch_alter_table('slips', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_slips_user_id'))

    op.drop_table('slips')
    with op.batch_alter_table('reasons', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_reasons_user_id'))

    op.drop_table('reasons')
    op.drop_table('no_contact')
    with op.batch_alter_table('exercise_log', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_exercise_log_user_id'))

    op.drop_table('exercise_log')
    with op.batch_alter_table('cravings', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_cravings_user_id'))

    op.drop_table('cravings')
    op.drop_table('users')
