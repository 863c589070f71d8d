"""portfolio and risk

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-22 16:47:42.494196
"""
import sqlalchemy as sa
from alembic import op

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('book_nav',
    sa.Column('date', sa.Date(), nullable=False),
    sa.Column('nav', sa.Float(), nullable=False),
    sa.Column('pnl', sa.Float(), nullable=False),
    sa.Column('daily_return', sa.Float(), nullable=False),
    sa.Column('peak_nav', sa.Float(), nullable=False),
    sa.Column('drawdown', sa.Float(), nullable=False),
    sa.Column('gross_notional', sa.Float(), nullable=False),
    sa.Column('gross_leverage', sa.Float(), nullable=False),
    sa.PrimaryKeyConstraint('date', name=op.f('pk_book_nav'))
    )
    op.create_table('limit_status',
    sa.Column('date', sa.Date(), nullable=False),
    sa.Column('limit_name', sa.String(length=48), nullable=False),
    sa.Column('value', sa.Float(), nullable=False),
    sa.Column('threshold', sa.Float(), nullable=False),
    sa.Column('utilisation', sa.Float(), nullable=False),
    sa.Column('breached', sa.Boolean(), nullable=False),
    sa.Column('subject', sa.String(length=48), nullable=False),
    sa.Column('circuit_breaker', sa.String(length=64), nullable=False),
    sa.PrimaryKeyConstraint('date', 'limit_name', name=op.f('pk_limit_status'))
    )
    op.create_table('pnl_attribution',
    sa.Column('date', sa.Date(), nullable=False),
    sa.Column('dimension', sa.String(length=16), nullable=False),
    sa.Column('bucket', sa.String(length=48), nullable=False),
    sa.Column('pnl', sa.Float(), nullable=False),
    sa.PrimaryKeyConstraint('date', 'dimension', 'bucket', name=op.f('pk_pnl_attribution'))
    )
    op.create_table('portfolio_weights',
    sa.Column('date', sa.Date(), nullable=False),
    sa.Column('generic', sa.String(length=16), nullable=False),
    sa.Column('asset_class', sa.String(length=16), nullable=False),
    sa.Column('weight', sa.Float(), nullable=False),
    sa.Column('expected_return', sa.Float(), nullable=False),
    sa.Column('volatility', sa.Float(), nullable=False),
    sa.Column('signal', sa.Float(), nullable=True),
    sa.Column('confidence', sa.Float(), nullable=True),
    sa.PrimaryKeyConstraint('date', 'generic', name=op.f('pk_portfolio_weights'))
    )
    op.create_table('positions',
    sa.Column('date', sa.Date(), nullable=False),
    sa.Column('instrument', sa.String(length=32), nullable=False),
    sa.Column('generic', sa.String(length=16), nullable=False),
    sa.Column('asset_class', sa.String(length=16), nullable=False),
    sa.Column('contracts', sa.Integer(), nullable=False),
    sa.Column('notional_brl', sa.Float(), nullable=False),
    sa.Column('factor', sa.String(length=32), nullable=False),
    sa.Column('sensitivity_brl', sa.Float(), nullable=False),
    sa.PrimaryKeyConstraint('date', 'instrument', name=op.f('pk_positions'))
    )
    with op.batch_alter_table('positions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_positions_asset_class'), ['asset_class'], unique=False)

    op.create_table('risk_components',
    sa.Column('date', sa.Date(), nullable=False),
    sa.Column('dimension', sa.String(length=16), nullable=False),
    sa.Column('bucket', sa.String(length=48), nullable=False),
    sa.Column('var_brl', sa.Float(), nullable=False),
    sa.Column('share', sa.Float(), nullable=False),
    sa.PrimaryKeyConstraint('date', 'dimension', 'bucket', name=op.f('pk_risk_components'))
    )
    op.create_table('risk_metrics',
    sa.Column('date', sa.Date(), nullable=False),
    sa.Column('method', sa.String(length=16), nullable=False),
    sa.Column('confidence', sa.Float(), nullable=False),
    sa.Column('horizon_days', sa.Integer(), nullable=False),
    sa.Column('var_brl', sa.Float(), nullable=False),
    sa.Column('cvar_brl', sa.Float(), nullable=False),
    sa.Column('var_pct_nav', sa.Float(), nullable=False),
    sa.Column('cvar_pct_nav', sa.Float(), nullable=False),
    sa.PrimaryKeyConstraint('date', 'method', 'confidence', 'horizon_days', name=op.f('pk_risk_metrics'))
    )
    op.create_table('stress_results',
    sa.Column('date', sa.Date(), nullable=False),
    sa.Column('scenario', sa.String(length=48), nullable=False),
    sa.Column('pnl_brl', sa.Float(), nullable=False),
    sa.Column('pnl_pct_nav', sa.Float(), nullable=False),
    sa.Column('reverse_multiple', sa.Float(), nullable=True),
    sa.Column('not_applied', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('date', 'scenario', name=op.f('pk_stress_results'))
    )
    op.create_table('trades',
    sa.Column('date', sa.Date(), nullable=False),
    sa.Column('instrument', sa.String(length=32), nullable=False),
    sa.Column('generic', sa.String(length=16), nullable=False),
    sa.Column('asset_class', sa.String(length=16), nullable=False),
    sa.Column('direction', sa.String(length=4), nullable=False),
    sa.Column('contracts', sa.Integer(), nullable=False),
    sa.Column('from_contracts', sa.Integer(), nullable=False),
    sa.Column('to_contracts', sa.Integer(), nullable=False),
    sa.Column('sentence', sa.Text(), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('rationale', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('date', 'instrument', name=op.f('pk_trades'))
    )
    op.create_table('var_backtest',
    sa.Column('date', sa.Date(), nullable=False),
    sa.Column('window_days', sa.Integer(), nullable=False),
    sa.Column('exceptions', sa.Integer(), nullable=False),
    sa.Column('expected', sa.Float(), nullable=False),
    sa.Column('kupiec_lr', sa.Float(), nullable=False),
    sa.Column('kupiec_p_value', sa.Float(), nullable=False),
    sa.Column('traffic_light', sa.String(length=8), nullable=False),
    sa.PrimaryKeyConstraint('date', name=op.f('pk_var_backtest'))
    )


def downgrade() -> None:
    op.drop_table('var_backtest')
    op.drop_table('trades')
    op.drop_table('stress_results')
    op.drop_table('risk_metrics')
    op.drop_table('risk_components')
    with op.batch_alter_table('positions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_positions_asset_class'))

    op.drop_table('positions')
    op.drop_table('portfolio_weights')
    op.drop_table('pnl_attribution')
    op.drop_table('limit_status')
    op.drop_table('book_nav')
