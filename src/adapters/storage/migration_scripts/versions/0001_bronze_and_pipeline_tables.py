"""bronze and pipeline tables

Revision ID: 0001
Revises:
Create Date: 2026-11-22 16:15:22.398393
"""
import sqlalchemy as sa
from alembic import op

revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('asset_runs',
    sa.Column('run_id', sa.String(length=64), nullable=False),
    sa.Column('asset', sa.String(length=64), nullable=False),
    sa.Column('partition_start', sa.Date(), nullable=False),
    sa.Column('partition_end', sa.Date(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('duration_seconds', sa.Float(), nullable=True),
    sa.Column('rows', sa.Integer(), nullable=True),
    sa.Column('error', sa.Text(), nullable=True),
    sa.PrimaryKeyConstraint('run_id', 'asset', 'partition_start', name=op.f('pk_asset_runs'))
    )
    with op.batch_alter_table('asset_runs', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_asset_runs_finished_at'), ['finished_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_asset_runs_status'), ['status'], unique=False)

    op.create_table('connector_runs',
    sa.Column('connector', sa.String(length=32), nullable=False),
    sa.Column('partition_date', sa.Date(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('rows', sa.Integer(), nullable=False),
    sa.Column('latest_data_date', sa.Date(), nullable=True),
    sa.Column('error', sa.Text(), nullable=True),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('finished_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('duration_seconds', sa.Float(), nullable=False),
    sa.PrimaryKeyConstraint('connector', 'partition_date', name=op.f('pk_connector_runs'))
    )
    with op.batch_alter_table('connector_runs', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_connector_runs_finished_at'), ['finished_at'], unique=False)

    op.create_table('curve_points',
    sa.Column('curve_id', sa.String(length=32), nullable=False),
    sa.Column('curve_date', sa.Date(), nullable=False),
    sa.Column('tenor_days', sa.Integer(), nullable=False),
    sa.Column('day_count', sa.String(length=8), nullable=False),
    sa.Column('rate', sa.Float(), nullable=False),
    sa.Column('source', sa.String(length=32), nullable=False),
    sa.PrimaryKeyConstraint('curve_id', 'curve_date', 'tenor_days', name=op.f('pk_curve_points'))
    )
    with op.batch_alter_table('curve_points', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_curve_points_curve_date'), ['curve_date'], unique=False)

    op.create_table('instrument_prices',
    sa.Column('instrument', sa.String(length=32), nullable=False),
    sa.Column('trade_date', sa.Date(), nullable=False),
    sa.Column('price', sa.Float(), nullable=False),
    sa.Column('rate', sa.Float(), nullable=True),
    sa.Column('source', sa.String(length=32), nullable=False),
    sa.PrimaryKeyConstraint('instrument', 'trade_date', name=op.f('pk_instrument_prices'))
    )
    with op.batch_alter_table('instrument_prices', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_instrument_prices_trade_date'), ['trade_date'], unique=False)

    op.create_table('observations',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('series_id', sa.String(length=64), nullable=False),
    sa.Column('observation_date', sa.Date(), nullable=False),
    sa.Column('release_date', sa.Date(), nullable=False),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.Column('value', sa.Float(), nullable=False),
    sa.Column('source', sa.String(length=32), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_observations')),
    sa.UniqueConstraint('series_id', 'observation_date', 'revision', name='uq_observations_key')
    )
    with op.batch_alter_table('observations', schema=None) as batch_op:
        batch_op.create_index('ix_observations_pit', ['series_id', 'observation_date', 'release_date'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('observations', schema=None) as batch_op:
        batch_op.drop_index('ix_observations_pit')

    op.drop_table('observations')
    with op.batch_alter_table('instrument_prices', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_instrument_prices_trade_date'))

    op.drop_table('instrument_prices')
    with op.batch_alter_table('curve_points', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_curve_points_curve_date'))

    op.drop_table('curve_points')
    with op.batch_alter_table('connector_runs', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_connector_runs_finished_at'))

    op.drop_table('connector_runs')
    with op.batch_alter_table('asset_runs', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_asset_runs_status'))
        batch_op.drop_index(batch_op.f('ix_asset_runs_finished_at'))

    op.drop_table('asset_runs')
