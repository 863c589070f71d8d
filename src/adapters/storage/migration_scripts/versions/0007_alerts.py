"""alert rules (seeded with the defaults), groups, states, events, silences and the rule audit log

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-29 16:00:00
"""
import sqlalchemy as sa
from alembic import op

revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None

# The defaults of ../shared/DOMAIN.md ("Alert rules"), written out so the migration never changes with the code;
# a test checks they equal domain.alerts.rules.DEFAULT_RULES.
DEFAULT_RULES = [
    ('STALE_DATA', "A connector's latest successful data is older than the threshold (hours of open market since "
     "its scheduled run)", 'WARNING', '>', 'hours', 26.0),
    ('VAR_BREACH', '1-day historical VaR95 of the book as % of NAV above the threshold', 'WARNING', '>',
     'percent_of_nav', 3.0),
    ('VAR_CRITICAL', '1-day historical VaR99 of the book as % of NAV above the threshold', 'CRITICAL', '>',
     'percent_of_nav', 5.0),
    ('DRAWDOWN_WARNING', 'Drawdown of the book from its peak NAV above the threshold', 'WARNING', '>',
     'percent_of_nav', 5.0),
    ('DRAWDOWN_CRITICAL', 'Drawdown of the book from its peak NAV above the threshold', 'CRITICAL', '>',
     'percent_of_nav', 10.0),
    ('LIMIT_BREACH', "A risk limit's utilisation at or above the threshold", 'CRITICAL', '>=',
     'percent_utilisation', 100.0),
    ('SIGNAL_FLIP', 'Number of aggregated-signal flips in the last 24 h at or above the threshold', 'INFO', '>=',
     'count', 1.0),
    ('CONVICTION_SURGE', "An aggregated signal's conviction change in the last 24 h above the threshold", 'INFO',
     '>', 'signal_units', 0.3),
    ('PIPELINE_FAILURE', 'Any asset of the latest pipeline run failed', 'CRITICAL', '>=', 'none', None),
    ('AGENT_STALE', "An agent's latest output is older than the threshold (hours of open market since its "
     "scheduled run)", 'WARNING', '>', 'hours', 26.0),
]
COOLDOWN_MINUTES = 30


def upgrade() -> None:
    rules = op.create_table('alert_rules',
    sa.Column('rule_id', sa.String(length=32), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('severity', sa.String(length=16), nullable=False),
    sa.Column('comparison', sa.String(length=4), nullable=False),
    sa.Column('unit', sa.String(length=24), nullable=False),
    sa.Column('threshold', sa.Float(), nullable=True),
    sa.Column('enabled', sa.Boolean(), nullable=False),
    sa.Column('cooldown_minutes', sa.Integer(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('updated_by', sa.String(length=64), nullable=True),
    sa.PrimaryKeyConstraint('rule_id', name=op.f('pk_alert_rules'))
    )
    groups = op.create_table('alert_groups',
    sa.Column('rule_id', sa.String(length=32), nullable=False),
    sa.Column('last_notified_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('last_evaluated_at', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('rule_id', name=op.f('pk_alert_groups'))
    )
    op.create_table('alert_states',
    sa.Column('rule_id', sa.String(length=32), nullable=False),
    sa.Column('subject', sa.String(length=64), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('value', sa.Float(), nullable=True),
    sa.Column('threshold', sa.Float(), nullable=True),
    sa.Column('message', sa.Text(), nullable=False),
    sa.Column('since', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('notified_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('muted', sa.String(length=16), nullable=True),
    sa.Column('resolved_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('resolution_announced', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('rule_id', 'subject', name=op.f('pk_alert_states'))
    )
    with op.batch_alter_table('alert_states', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_alert_states_status'), ['status'], unique=False)
    op.create_table('alert_events',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('rule_id', sa.String(length=32), nullable=False),
    sa.Column('subject', sa.String(length=64), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('value', sa.Float(), nullable=True),
    sa.Column('threshold', sa.Float(), nullable=True),
    sa.Column('message', sa.Text(), nullable=False),
    sa.Column('notification_key', sa.String(length=96), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_alert_events'))
    )
    with op.batch_alter_table('alert_events', schema=None) as batch_op:
        batch_op.create_index('ix_alert_events_rule_at', ['rule_id', 'at'], unique=False)
        batch_op.create_index(batch_op.f('ix_alert_events_at'), ['at'], unique=False)
    op.create_table('alert_silences',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('rule_id', sa.String(length=32), nullable=False),
    sa.Column('subject', sa.String(length=64), nullable=True),
    sa.Column('starts_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('ends_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('created_by', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('expired_at', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_alert_silences'))
    )
    with op.batch_alter_table('alert_silences', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_alert_silences_ends_at'), ['ends_at'], unique=False)
    op.create_table('alert_rule_audit',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('rule_id', sa.String(length=32), nullable=False),
    sa.Column('changed_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('changed_by', sa.String(length=64), nullable=False),
    sa.Column('old_values', sa.Text(), nullable=False),
    sa.Column('new_values', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_alert_rule_audit'))
    )
    with op.batch_alter_table('alert_rule_audit', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_alert_rule_audit_rule_id'), ['rule_id'], unique=False)
    op.bulk_insert(rules, [
        {'rule_id': rule_id, 'description': description, 'severity': severity, 'comparison': comparison,
         'unit': unit, 'threshold': threshold, 'enabled': True, 'cooldown_minutes': COOLDOWN_MINUTES,
         'updated_at': None, 'updated_by': None}
        for rule_id, description, severity, comparison, unit, threshold in DEFAULT_RULES])
    op.bulk_insert(groups, [{'rule_id': rule[0], 'last_notified_at': None, 'last_evaluated_at': None}
                            for rule in DEFAULT_RULES])


def downgrade() -> None:
    for table in ('alert_rule_audit', 'alert_silences', 'alert_events', 'alert_states', 'alert_groups',
                  'alert_rules'):
        op.drop_table(table)
