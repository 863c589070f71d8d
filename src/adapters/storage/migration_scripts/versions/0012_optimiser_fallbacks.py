"""optimiser_fallbacks: sessions whose optimisation failed and kept the previous targets, with the reason

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-29 19:45:00
"""
import sqlalchemy as sa
from alembic import op

revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('optimiser_fallbacks',
    sa.Column('date', sa.Date(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('date', name=op.f('pk_optimiser_fallbacks'))
    )


def downgrade() -> None:
    op.drop_table('optimiser_fallbacks')
