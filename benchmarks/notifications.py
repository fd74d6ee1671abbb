"""A national SK reporting deadline's reminders: one account in every village (83,762) and in
every district (7,285), a deadline in each of the 38 provinces on the same day, then one round
of the SK rule at 14 days before it: every village's accounts and its district's get one
reminder each (~167,000), inserted by INSERT ... SELECT in batches of whole regencies/cities. Meanwhile
another thread reads and writes as an API request would, and the slowest of each is printed
(it must not wait for the whole generation). Then a second round (a restarted worker) that
must insert nothing. Target: 100,000 reminders in under 30 s.

Then a national month of missing activity reports: two active posyandu in every village
(167,524), none of which reported October 2026, and one round of the activity-report rules the day
after its due date: one overdue reminder per posyandu to its village's account and one notice per
district to the district's account, then a second round (which finds the month's stage done).

`python -m benchmarks.notifications` (also run by `make bench`)."""

from __future__ import annotations

import tempfile
import threading
import time
import uuid
from datetime import UTC, date, datetime
from pathlib import Path

from sqlalchemy import create_engine, func, insert, select, text, update
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.orm import sessionmaker

from benchmarks.run import PG_URL
from pembina import migrate
from pembina.decrees.models import ReportingDeadline
from pembina.kit.db import make_engine
from pembina.notifications import generate
from pembina.notifications.models import Notification
from pembina.posyandu.models import Posyandu
from pembina.regions.loader import load_regions
from pembina.regions.models import Region
from pembina.users.models import User

DUE = date(2026, 6, 30)
NOW = datetime(2026, 6, 16, 2, 0, tzinfo=UTC)  # 09:00 WIB, 14 days before
#: October 2026's activity reports are due Friday 13 November (the 10th working day): the next day, 09:00 WIB
REPORTS_NOW = datetime(2026, 11, 14, 2, 0, tzinfo=UTC)
POSYANDU_PER_VILLAGE = 2


def _arrange(engine: Engine) -> None:
    with engine.begin() as conn:
        migrate.upgrade(conn)
        load_regions(conn, progress=False)
        stamp = datetime.now(UTC)
        codes = conn.execute(select(Region.code, Region.level).where(Region.level >= 3)).all()
        rows = [
            dict(
                username=f"op-{code}",
                full_name=f"Operator {code}",
                password_hash="x",
                role="village_operator" if level == 4 else "district_operator",
                region_code=code,
                is_active=True,
                created_at=stamp,
                updated_at=stamp,
                token_generation=1,
                version=1,
            )
            for code, level in codes
        ]
        for i in range(0, len(rows), 5_000):
            conn.execute(insert(User), rows[i : i + 5_000])
        villages = [code for code, level in codes if level == 4]
        posyandu = [
            dict(region_code=code, name=f"Posyandu {i + 1} {code}", created_at=datetime(2026, 1, 5, tzinfo=UTC), updated_at=stamp)
            for code in villages
            for i in range(POSYANDU_PER_VILLAGE)
        ]
        for i in range(0, len(posyandu), 5_000):
            conn.execute(insert(Posyandu), posyandu[i : i + 5_000])
        provinces = conn.scalars(select(Region.code).where(Region.level == 1)).all()
        conn.execute(
            insert(ReportingDeadline),
            [dict(region_code=p, year=DUE.year, due_date=DUE, created_at=stamp, updated_at=stamp, version=1) for p in provinces],
        )
    if engine.dialect.name == "postgresql":  # the planner's statistics, as a running database has them
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("ANALYZE"))


def _bench(url: str, label: str) -> None:
    engine = make_engine(url)
    try:
        _arrange(engine)
        factory = sessionmaker(bind=engine, expire_on_commit=False)
        waits: dict[str, float] = {"read": 0.0, "write": 0.0}
        done = threading.Event()

        def api_like() -> None:  # what a request does meanwhile: a read, then a small write
            while not done.is_set():
                t = time.perf_counter()
                with factory() as s:
                    s.scalar(select(func.count()).select_from(User).where(User.region_code == "33.75"))
                waits["read"] = max(waits["read"], time.perf_counter() - t)
                t = time.perf_counter()
                with factory() as s:
                    s.execute(update(User).where(User.username == "op-33.75.02").values(full_name=f"Operator {uuid.uuid4().hex[:6]}"))
                    s.commit()
                waits["write"] = max(waits["write"], time.perf_counter() - t)
                time.sleep(0.05)

        probe = threading.Thread(target=api_like)
        probe.start()
        t0 = time.perf_counter()
        made = generate.sk_deadlines(factory, NOW)
        t1 = time.perf_counter()
        done.set()
        probe.join()
        again = generate.sk_deadlines(factory, NOW)
        t2 = time.perf_counter()
        with factory() as s:
            total = s.scalar(select(func.count()).select_from(Notification))
        t3 = time.perf_counter()
        reports = generate.activity_reports(factory, REPORTS_NOW)
        t4 = time.perf_counter()
        reports_again = generate.activity_reports(factory, REPORTS_NOW.replace(hour=3))
        t5 = time.perf_counter()
        print(
            f"  {label:<11} {made:,} reminders in {t1 - t0:5.1f} s ({made / (t1 - t0):,.0f}/s); "
            f"a request meanwhile waited at most {waits['read'] * 1000:.0f} ms (read), {waits['write'] * 1000:.0f} ms (write); "
            f"second round (a restarted worker): {again} new in {t2 - t1:4.1f} s; {total:,} rows"
        )
        print(
            f"  {'':<11} activity reports missing nationally: {reports:,} reminders in {t4 - t3:5.1f} s "
            f"({reports / (t4 - t3):,.0f}/s); second round: {reports_again} new in {t5 - t4:4.2f} s"
        )
    finally:
        engine.dispose()


def main() -> None:
    print("Reminders of a national SK deadline (one account per village and district; INSERT ... SELECT, a few regencies/cities per batch)")
    with tempfile.TemporaryDirectory() as tmp:
        _bench(f"sqlite:///{Path(tmp) / 'bench.sqlite3'}", "SQLite")
    admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    name = f"pembina_bench_{uuid.uuid4().hex[:8]}"
    try:
        with admin.connect() as c:
            c.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as e:  # noqa: BLE001
        print(f"  PostgreSQL  not reachable at {PG_URL}: {str(e).splitlines()[0]}")
        return
    try:
        _bench(make_url(PG_URL).set(database=name).render_as_string(hide_password=False), "PostgreSQL")
    finally:
        with admin.connect() as c:
            c.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
    print("  target: 100,000 reminders in under 30 s, requests never waiting for the whole round")


if __name__ == "__main__":
    main()
