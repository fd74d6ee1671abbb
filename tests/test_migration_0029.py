"""Migration 0029 on a database with counters: the nation's row keeps only what belongs to no
region (it no longer sums the provinces: they are summed when read), the nation's totals read the
same before and after, and the downgrade puts the sums back."""

from __future__ import annotations

from sqlalchemy import text

from pembina import migrate

ROWS = [
    # two provinces and a regency of one of them; the nation's row held their sum plus 2 of its own
    ("33", "posyandu.total", 40),
    ("33.75", "posyandu.total", 25),
    ("62", "posyandu.total", 10),
    ("", "posyandu.total", 52),
    ("33", "compliance.province.team", 1),
    ("", "compliance.province.team", 1),  # only the province's: nothing of its own
    ("", "compliance.national.team", 1),  # a national team: nobody else's
]


def _stats(conn):
    return {(c, m): v for c, m, v in conn.execute(text("SELECT region_code, metric, value FROM region_stats"))}


def test_the_nation_row_keeps_its_own_counts_only_and_back(empty_database):
    engine = empty_database.engine
    with engine.begin() as conn:
        migrate.upgrade(conn, "0025")
        for code, name in (("33", "JAWA TENGAH"), ("62", "KALIMANTAN TENGAH")):
            conn.execute(
                text(
                    "INSERT INTO regions (code, name, level, type, parent_code, child_count, village_count, district_count, regency_count, name_search) "
                    "VALUES (:c, :n, 1, 'provinsi', NULL, 0, 0, 0, 0, :s)"
                ),
                {"c": code, "n": name, "s": name.lower()},
            )
        conn.execute(
            text(
                "INSERT INTO regions (code, name, level, type, parent_code, child_count, village_count, district_count, regency_count, name_search) "
                "VALUES ('33.75', 'KOTA PEKALONGAN', 2, 'kota', '33', 0, 0, 0, 0, 'kota pekalongan')"
            )
        )
        for code, metric, value in ROWS:
            conn.execute(
                text("INSERT INTO region_stats (region_code, metric, value) VALUES (:c, :m, :v)"), {"c": code, "m": metric, "v": value}
            )
        before = _stats(conn)
    with engine.begin() as conn:
        migrate.upgrade(conn, "0029")
    with engine.begin() as conn:
        after = _stats(conn)
        assert after[("", "posyandu.total")] == 2
        assert ("", "compliance.province.team") not in after
        assert after[("", "compliance.national.team")] == 1
        assert {k: v for k, v in after.items() if k[0]} == {k: v for k, v in before.items() if k[0]}
        # what the nation reads now (its row and the provinces', summed) is what its row held
        from sqlalchemy.orm import Session

        from pembina.stats import service as stats

        with Session(bind=conn) as session:
            assert stats.values(session, None) == {m: v for (c, m), v in before.items() if c == ""}
    with engine.begin() as conn:
        migrate.downgrade(conn, "0025")
    with engine.begin() as conn:
        assert _stats(conn) == before
