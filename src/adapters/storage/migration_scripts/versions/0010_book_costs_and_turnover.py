"""book_nav: transaction costs and traded notional of each session

Revision ID: 0010
Revises: 0008
Create Date: 2026-11-29 16:10:00
"""
import sqlalchemy as sa
from alembic import op

revision = '0010'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('book_nav', schema=None) as batch_op:
        batch_op.add_column(sa.Column('costs', sa.Float(), nullable=False, server_default='0'))
        batch_op.add_column(sa.Column('traded_notional', sa.Float(), nullable=False, server_default='0'))


def downgrade() -> None:
    with op.batch_alter_table('book_nav', schema=None) as batch_op:
        batch_op.drop_column('traded_notional')
        batch_op.drop_column('costs')
