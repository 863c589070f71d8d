"""The alert tables: the migration seeds exactly the domain's defaults; silences and audit round-trip."""

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine

from adapters.storage.unit_of_work import SqlAlchemyUnitOfWork
from application.ports import RuleChange
from domain.alerts.rules import DEFAULT_RULES, RuleId

T0 = datetime(2026, 11, 24, 13, 0, tzinfo=UTC)


def test_the_migration_seeds_the_ten_default_rules(engine: Engine) -> None:
    with SqlAlchemyUnitOfWork(engine) as uow:
        assert uow.alerts.rules() == list(DEFAULT_RULES)
        assert sorted(g.rule_id for g in uow.alerts.groups()) == sorted(RuleId)
        assert all(g.last_notified_at is None for g in uow.alerts.groups())


def test_rule_changes_are_persisted_with_their_audit_entry_and_silences_expire(engine: Engine) -> None:
    rule = DEFAULT_RULES[1].configured(threshold=2.5, cooldown=timedelta(minutes=45))
    with SqlAlchemyUnitOfWork(engine) as uow:
        uow.alerts.save_rule(rule, RuleChange(rule.id, T0, "api", {"threshold": 3.0, "cooldown_minutes": 30},
                                              {"threshold": 2.5, "cooldown_minutes": 45}))
        silence = uow.alerts.add_silence(RuleId.STALE_DATA, None, T0, T0 + timedelta(hours=1), "window", "api", T0)
        uow.commit()
    with SqlAlchemyUnitOfWork(engine) as uow:
        assert uow.alerts.rule(RuleId.VAR_BREACH) == rule
        [change] = uow.alerts.audit(RuleId.VAR_BREACH)
        assert (change.changed_at, dict(change.new_values)) == (T0, {"threshold": 2.5, "cooldown_minutes": 45})
        assert [s.id for s in uow.alerts.silences(active_at=T0 + timedelta(minutes=30))] == [silence.id]
        assert uow.alerts.silences(active_at=T0 + timedelta(hours=2)) == []
        # Running at T0 + 5 min: it now ends then.
        assert uow.alerts.expire_silence(silence.id, T0 + timedelta(minutes=5)) == replace(
            silence, ends_at=T0 + timedelta(minutes=5))
        assert uow.alerts.expire_silence(silence.id, T0 + timedelta(minutes=6)) is None
        uow.commit()
    with SqlAlchemyUnitOfWork(engine) as uow:
        assert uow.alerts.silences() == []
