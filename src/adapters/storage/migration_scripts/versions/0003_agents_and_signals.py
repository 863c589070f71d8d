"""agents and signals

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22 16:41:46.961234
"""
import sqlalchemy as sa
from alembic import op

revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('agent_reports',
    sa.Column('date', sa.Date(), nullable=False),
    sa.Column('agent', sa.String(length=32), nullable=False),
    sa.Column('narrative', sa.Text(), nullable=False),
    sa.Column('diagnostics', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('date', 'agent', name=op.f('pk_agent_reports'))
    )
    op.create_table('agent_signals',
    sa.Column('date', sa.Date(), nullable=False),
    sa.Column('signal_id', sa.String(length=64), nullable=False),
    sa.Column('agent', sa.String(length=32), nullable=False),
    sa.Column('direction', sa.String(length=8), nullable=False),
    sa.Column('strength', sa.Float(), nullable=False),
    sa.Column('confidence', sa.Float(), nullable=False),
    sa.Column('value', sa.Float(), nullable=True),
    sa.Column('horizon_days', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('date', 'signal_id', name=op.f('pk_agent_signals'))
    )
    with op.batch_alter_table('agent_signals', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_agent_signals_agent'), ['agent'], unique=False)

    op.create_table('aggregated_signals',
    sa.Column('date', sa.Date(), nullable=False),
    sa.Column('generic', sa.String(length=16), nullable=False),
    sa.Column('asset_class', sa.String(length=16), nullable=False),
    sa.Column('signal', sa.Float(), nullable=False),
    sa.Column('confidence', sa.Float(), nullable=False),
    sa.Column('posterior_variance', sa.Float(), nullable=True),
    sa.Column('n_strategies', sa.Integer(), nullable=False),
    sa.Column('method', sa.String(length=24), nullable=False),
    sa.PrimaryKeyConstraint('date', 'generic', name=op.f('pk_aggregated_signals'))
    )
    op.create_table('regime_probabilities',
    sa.Column('date', sa.Date(), nullable=False),
    sa.Column('goldilocks', sa.Float(), nullable=False),
    sa.Column('reflation', sa.Float(), nullable=False),
    sa.Column('stagflation', sa.Float(), nullable=False),
    sa.Column('deflation', sa.Float(), nullable=False),
    sa.Column('regime', sa.String(length=16), nullable=False),
    sa.PrimaryKeyConstraint('date', name=op.f('pk_regime_probabilities'))
    )
    op.create_table('signal_events',
    sa.Column('date', sa.Date(), nullable=False),
    sa.Column('kind', sa.String(length=24), nullable=False),
    sa.Column('subject', sa.String(length=32), nullable=False),
    sa.Column('previous', sa.Float(), nullable=True),
    sa.Column('value', sa.Float(), nullable=True),
    sa.Column('detail', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('date', 'kind', 'subject', name=op.f('pk_signal_events'))
    )
    op.create_table('strategy_signals',
    sa.Column('date', sa.Date(), nullable=False),
    sa.Column('strategy_id', sa.String(length=48), nullable=False),
    sa.Column('generic', sa.String(length=16), nullable=False),
    sa.Column('asset_class', sa.String(length=16), nullable=False),
    sa.Column('signal', sa.Float(), nullable=False),
    sa.Column('confidence', sa.Float(), nullable=False),
    sa.PrimaryKeyConstraint('date', 'strategy_id', 'generic', name=op.f('pk_strategy_signals'))
    )
    with op.batch_alter_table('strategy_signals', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_strategy_signals_asset_class'), ['asset_class'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('strategy_signals', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_strategy_signals_asset_class'))

    op.drop_table('strategy_signals')
    op.drop_table('signal_events')
    op.drop_table('regime_probabilities')
    op.drop_table('aggregated_signals')
    with op.batch_alter_table('agent_signals', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_agent_signals_agent'))

    op.drop_table('agent_signals')
    op.drop_table('agent_reports')
