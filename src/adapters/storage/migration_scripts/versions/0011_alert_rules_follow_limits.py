"""alert_rules.follows_limit: the VaR and drawdown rules take their thresholds from the risk limits

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-29 19:30:00
"""
import sqlalchemy as sa
from alembic import op

revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None

# Written out so the migration never changes with the code (domain.alerts.rules.LIMIT_LINKS, tested equal).
# A rule whose threshold someone changed away from its seeded default keeps that override.
SEEDED = {'VAR_BREACH': 3.0, 'VAR_CRITICAL': 5.0, 'DRAWDOWN_WARNING': 5.0, 'DRAWDOWN_CRITICAL': 10.0}


def upgrade() -> None:
    with op.batch_alter_table('alert_rules', schema=None) as batch_op:
        batch_op.add_column(sa.Column('follows_limit', sa.Boolean(), nullable=False, server_default=sa.false()))
    rules = sa.table('alert_rules', sa.column('rule_id', sa.String), sa.column('threshold', sa.Float),
                     sa.column('follows_limit', sa.Boolean))
    for rule_id, threshold in SEEDED.items():
        op.execute(rules.update().where(rules.c.rule_id == rule_id, rules.c.threshold == threshold)
                   .values(follows_limit=True))


def downgrade() -> None:
    with op.batch_alter_table('alert_rules', schema=None) as batch_op:
        batch_op.drop_column('follows_limit')
