"""The person's own safety plan: one row per line, under one of seven steps (issue 14).

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-04

"""
from alembic import op
import sqlalchemy as sa


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('safety_plan_items',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('user_id', sa.String(length=36), nullable=False),
    sa.Column('step', sa.String(length=32), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_safety_plan_items_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_safety_plan_items'))
    )
    with op.batch_alter_table('safety_plan_items', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_safety_plan_items_user_id'), ['user_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('safety_plan_items', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_safety_plan_items_user_id'))

    op.drop_table('safety_plan_items')
