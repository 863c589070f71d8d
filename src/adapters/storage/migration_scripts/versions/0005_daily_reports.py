"""daily reports

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-22 17:00:28.456220
"""
import sqlalchemy as sa
from alembic import op

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('daily_reports',
    sa.Column('date', sa.Date(), nullable=False),
    sa.Column('generated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('schema_version', sa.Integer(), nullable=False),
    sa.Column('content', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('date', name=op.f('pk_daily_reports'))
    )


def downgrade() -> None:
    op.drop_table('daily_reports')
