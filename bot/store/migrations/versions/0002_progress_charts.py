"""Progress charts: a short-lived picture per request, found by a hash of its link's key.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-04
"""
from alembic import op
import sqlalchemy as sa


revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('progress_charts',
    sa.Column('key_hash', sa.String(length=64), nullable=False),
    sa.Column('user_id', sa.String(length=36), nullable=False),
    sa.Column('png', sa.LargeBinary(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('expires_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_progress_charts_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('key_hash', name=op.f('pk_progress_charts'))
    )
    with op.batch_alter_table('progress_charts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_progress_charts_user_id'), ['user_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('progress_charts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_progress_charts_user_id'))

    op.drop_table('progress_charts')
