"""pnl_attribution (dimension, bucket, date) covering index for the cumulative attribution panels

Revision ID: 0013
Revises: 0012
Create Date: 2026-11-29 19:30:00
"""
from alembic import op

revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # The cumulative attribution panels sum each bucket's P&L in date order: this index hands the window its rows
    # already ordered (an index-only scan), a third of the query's time on ten years of PostgreSQL.
    op.create_index('ix_pnl_attribution_dimension_bucket_date', 'pnl_attribution', ['dimension', 'bucket', 'date'],
                    postgresql_include=['pnl'])


def downgrade() -> None:
    op.drop_index('ix_pnl_attribution_dimension_bucket_date', table_name='pnl_attribution')
