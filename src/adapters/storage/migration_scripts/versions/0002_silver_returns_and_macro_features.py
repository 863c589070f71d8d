"""silver returns and macro features

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22 16:23:11.422669
"""
import sqlalchemy as sa
from alembic import op

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('macro_features',
    sa.Column('series_id', sa.String(length=64), nullable=False),
    sa.Column('feature', sa.String(length=32), nullable=False),
    sa.Column('known_from', sa.Date(), nullable=False),
    sa.Column('observation_date', sa.Date(), nullable=False),
    sa.Column('value', sa.Float(), nullable=False),
    sa.PrimaryKeyConstraint('series_id', 'feature', 'known_from', name=op.f('pk_macro_features'))
    )
    with op.batch_alter_table('macro_features', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_macro_features_known_from'), ['known_from'], unique=False)

    op.create_table('returns',
    sa.Column('instrument', sa.String(length=48), nullable=False),
    sa.Column('trade_date', sa.Date(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('price_return', sa.Float(), nullable=True),
    sa.Column('rate_change_bp', sa.Float(), nullable=True),
    sa.PrimaryKeyConstraint('instrument', 'trade_date', name=op.f('pk_returns'))
    )
    with op.batch_alter_table('returns', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_returns_trade_date'), ['trade_date'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('returns', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_returns_trade_date'))

    op.drop_table('returns')
    with op.batch_alter_table('macro_features', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_macro_features_known_from'))

    op.drop_table('macro_features')
