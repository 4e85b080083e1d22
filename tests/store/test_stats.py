"""StatsRepository: local-day SQL matches the Python rule; backlog follows the triage history."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

from cmdesk.core.kpis import day_buckets
from cmdesk.store.stats import StatsRepository, _day_sql
from tests.report.fixture_store import build_fixture_store, ts


def test_day_sql_matches_python_over_a_dst_change(conn):
    b = day_buckets(date(2024, 3, 25), date(2024, 4, 3), ZoneInfo("Europe/Paris"))
    expr, params = _day_sql("x", b)
    for t in range(b.start_ts, b.end_ts, 977):
        got = conn.execute(f"SELECT {expr} FROM (SELECT ? AS x)", (*params, t)).fetchone()[0]
        assert got == b.index_of(t)
        assert b.days[got] == datetime.fromtimestamp(t, ZoneInfo("Europe/Paris")).date()


def test_backlog_at_follows_history(tmp_path):
    fx = build_fixture_store(tmp_path / "c.sqlite3")
    from cmdesk.store.database import connect
    c = connect(fx.db_path)
    repo = StatsRepository(c)
    assert repo.backlog_at(ts(2024, 3, 1, 0)) == 2  # P2 new, P3 new (triaged at 00:35)
    assert repo.backlog_at(ts(2024, 2, 10, 9, 5)) == 0  # P1 not found yet (found at 09:05)
    assert repo.backlog_at(ts(2024, 2, 10, 9, 6)) == 1
    assert repo.backlog_at(ts(2024, 4, 1, 0)) == 5
    assert repo.backlog_at(ts(2024, 4, 1, 9)) == 6  # N1 found at 00:35
    c.close()
