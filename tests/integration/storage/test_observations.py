from datetime import date

from sqlalchemy import Engine, func, select

from adapters.storage.tables import ObservationRow
from adapters.storage.unit_of_work import SqlAlchemyUnitOfWork
from domain.market.bronze import Observation

IPCA_OCT = date(2025, 10, 1)
RELEASE = date(2025, 11, 11)


def _ipca(value: float, release: date) -> Observation:
    return Observation("BR_IPCA_MOM", IPCA_OCT, release, value, "bcb_sgs")


def _count(engine: Engine) -> int:
    with engine.connect() as c:
        return int(c.execute(select(func.count()).select_from(ObservationRow)).scalar_one())


def test_a_monthly_value_is_invisible_the_day_before_its_release_and_visible_on_it(engine: Engine) -> None:
    with SqlAlchemyUnitOfWork(engine) as uow:
        uow.observations.upsert([_ipca(0.09, RELEASE)])
        uow.commit()
    with SqlAlchemyUnitOfWork(engine) as uow:
        before = uow.observations.as_of(["BR_IPCA_MOM"], date(2025, 1, 1), date(2025, 12, 31), as_of=date(2025, 11, 10))
        on_day = uow.observations.as_of(["BR_IPCA_MOM"], date(2025, 1, 1), date(2025, 12, 31), as_of=RELEASE)
    assert before.empty
    assert on_day[["observation_date", "value"]].values.tolist() == [[IPCA_OCT, 0.09]]


def test_a_revision_keeps_both_vintages_and_reads_follow_the_knowledge_date(engine: Engine) -> None:
    with SqlAlchemyUnitOfWork(engine) as uow:
        first = uow.observations.upsert([_ipca(0.09, RELEASE)])
        revised = uow.observations.upsert([_ipca(0.11, date(2025, 12, 10))])
        uow.commit()
    assert (first.inserted, revised.revised) == (1, 1)
    with SqlAlchemyUnitOfWork(engine) as uow:
        vintages = uow.observations.vintages("BR_IPCA_MOM", IPCA_OCT)
        old = uow.observations.as_of(["BR_IPCA_MOM"], IPCA_OCT, IPCA_OCT, as_of=date(2025, 12, 9))
        new = uow.observations.as_of(["BR_IPCA_MOM"], IPCA_OCT, IPCA_OCT, as_of=date(2025, 12, 10))
    assert vintages[["release_date", "revision", "value"]].values.tolist() == [
        [RELEASE, 0, 0.09], [date(2025, 12, 10), 1, 0.11]]
    assert old["value"].tolist() == [0.09]
    assert new["value"].tolist() == [0.11]


def test_upserting_the_same_batch_twice_changes_nothing(engine: Engine) -> None:
    selic = Observation("BR_SELIC_TARGET", date(2025, 11, 10), date(2025, 11, 10), 15.0, "bcb_sgs")
    batch = [_ipca(0.09, RELEASE), selic]
    with SqlAlchemyUnitOfWork(engine) as uow:
        uow.observations.upsert(batch)
        uow.commit()
    rows = _count(engine)
    with SqlAlchemyUnitOfWork(engine) as uow:
        again = uow.observations.upsert(batch)
        uow.commit()
    assert (again.unchanged, again.written, _count(engine)) == (2, 0, rows)


def test_a_rerun_of_the_same_release_day_replaces_its_vintage_instead_of_adding_one(engine: Engine) -> None:
    with SqlAlchemyUnitOfWork(engine) as uow:
        uow.observations.upsert([_ipca(0.09, RELEASE)])
        counts = uow.observations.upsert([_ipca(0.10, RELEASE)])
        uow.commit()
        vintages = uow.observations.vintages("BR_IPCA_MOM", IPCA_OCT)
    assert counts.updated == 1
    assert vintages["value"].tolist() == [0.10]


def test_nothing_is_written_without_commit(engine: Engine) -> None:
    with SqlAlchemyUnitOfWork(engine) as uow:
        uow.observations.upsert([_ipca(0.09, RELEASE)])
    assert _count(engine) == 0
