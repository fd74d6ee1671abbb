"""Synthetic monthly activity reports for `pembina seed-synthetic` (benchmark data only).

For each active synthetic posyandu, the 12 months up to the one being reported now
(`fields.last_period()`; `--report-months N` to change, 0 for none): about 92% of the months have
a report; of those about 8% are still drafts, the rest submitted (83% of them on time, by the due
day; late ones up to three weeks after it), then accepted (55%), returned with a reason (4%) or left
submitted. Each report answers the services its posyandu runs (1-4 times each) and its fields'
usual measures, with days open, kader present and target groups in plausible ranges. Notes start
with `[SINTETIS]`; `--clear` removes the reports of synthetic posyandu.

Rows go in with `kit.bulk` (COPY on PostgreSQL); the counters are computed while the rows are
made, a village at a time (posyandu come in village order), rolled up to the district, regency and
province in memory, and written in bulk (one totals row per region and month): no report is read
back. A month's `expected` is the region's active synthetic posyandu.
"""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Iterator
from datetime import UTC, datetime, time, timedelta
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from pembina import synthetic
from pembina.activity_reports import counters, fields
from pembina.activity_reports.models import ActivityReport
from pembina.kit import bulk, clock
from pembina.kit.db import rowcount, utcnow
from pembina.kit.scope import ancestors_of
from pembina.posyandu.models import Posyandu

MARK = synthetic.MARK
#: How many months the seed adds (`pembina seed-synthetic --report-months`).
MONTHS = 12
REPORTED, DRAFT, ON_TIME = 0.92, 0.08, 0.83
#: Of the submitted reports: accepted, returned (the rest stay submitted).
ACCEPTED, RETURNED = 0.55, 0.04
#: People served per measure, as a range.
MEASURE_RANGE = (3, 60)
GROUP_RANGE = {"ibu_hamil": (0, 12), "balita": (5, 80), "lansia": (0, 40), "keluarga_miskin": (0, 15)}


def _when(due: Any, days: int, rng: random.Random) -> datetime:
    """An instant `days` after the due day (negative: before), in office hours WIB, as UTC."""
    local = datetime.combine(due + timedelta(days=days), time(rng.randint(8, 15), rng.randint(0, 59)), tzinfo=clock.zone())
    return local.astimezone(UTC)


def seed(ctx: synthetic.SeedContext) -> int:
    """Add the reports (`ctx.options["report_months"]` months, default 12); returns how many."""
    months = ctx.options.get("report_months", MONTHS)
    if not isinstance(months, int):
        months = MONTHS
    if months <= 0:
        return 0
    session, rng = ctx.session, ctx.rng
    questions = fields.definitions()
    measures = {f: [c for c in qs if c in fields.DEFAULT_MEASURES.get(f, {})] for f, qs in questions.items()}
    last = fields.last_period()
    periods = [fields.shift(last, -i) for i in range(months - 1, -1, -1)]
    dues = {p: fields.due_date(p) for p in periods}
    now = utcnow()
    stmt = (
        select(Posyandu.id, Posyandu.region_code, Posyandu.services)
        .where(Posyandu.name.startswith(MARK), Posyandu.is_active.is_(True))
        .order_by(Posyandu.region_code, Posyandu.id)
    )
    posyandu = session.execute(stmt).all()
    #: (village, month, its integer columns in `counters.COLUMNS` order): villages keep no JSON
    village_rows: list[tuple[str, str, list[int]]] = []
    above: dict[tuple[str, str], dict[str, int]] = defaultdict(lambda: defaultdict(int))
    active: dict[str, int] = defaultdict(int)
    for _, code, _ in posyandu:
        for c in [*ancestors_of(code), code]:
            active[c] += 1
    written = 0

    def flush_village(code: str, totals: dict[tuple[str, str], int]) -> None:
        per_month: dict[str, dict[str, int]] = defaultdict(dict)
        for (p, m), v in totals.items():
            if v:
                per_month[p][m] = v
        ancestors = ancestors_of(code)
        for p, d in sorted(per_month.items()):
            village_rows.append((code, p, [d.get(m, 0) for m in counters.COLUMNS]))
            for a in ancestors:
                acc = above[(a, p)]
                for m, v in d.items():
                    acc[m] += v

    def rows() -> Iterator[dict[str, Any]]:
        nonlocal written
        current: str | None = None
        totals: dict[tuple[str, str], int] = defaultdict(int)
        for pid, code, services in posyandu:
            if code != current:
                if current is not None:
                    flush_village(current, totals)
                current, totals = code, defaultdict(int)
            runs = {f: codes for f, codes in (services or {}).items() if f in questions}
            for period in periods:
                if rng.random() >= REPORTED:
                    continue
                counts: dict[str, dict[str, int]] = {}
                for f, codes in runs.items():
                    answers = {c: rng.randint(1, 4) for c in codes if c in questions[f]}
                    answers.update({c: rng.randint(*MEASURE_RANGE) for c in measures[f]})
                    if answers:
                        counts[f] = answers
                groups = {g: n for g, (lo, hi) in GROUP_RANGE.items() if (n := rng.randint(lo, hi))}
                mask = fields.active_mask(counts)
                due = dues[period]
                status, on_time = "draft", None
                first = submitted = accepted_at = returned_at = None
                reason = decided_by = None
                if rng.random() >= DRAFT:
                    on_time = rng.random() < ON_TIME
                    first = _when(due, -rng.randint(0, 8) if on_time else rng.randint(1, 21), rng)
                    submitted = first
                    pick = rng.random()
                    if pick < ACCEPTED:
                        status, accepted_at, decided_by = "accepted", first + timedelta(days=rng.randint(1, 10)), synthetic.ACTOR
                    elif pick < ACCEPTED + RETURNED:
                        status, returned_at, decided_by = "returned", first + timedelta(days=rng.randint(1, 10)), synthetic.ACTOR
                        reason = "Data sintetis: angka perlu diperiksa."
                    else:
                        status = "submitted"
                days_open, kader = rng.randint(1, 4), rng.randint(3, 20)
                for m, n in counters.contribution_of(status, on_time, days_open, kader, counts, groups, mask).items():
                    totals[(period, m)] += n
                written += 1
                yield {
                    "region_code": code,
                    "level": 4,
                    "posyandu_id": pid,
                    "period": period,
                    "status": status,
                    "days_open": days_open,
                    "kader_present": kader,
                    "questions": questions,
                    "counts": counts,
                    "target_groups": groups,
                    "active_mask": mask,
                    "notes": f"{MARK} Laporan kegiatan {period}",
                    "due_date": due,
                    "first_submitted_at": first,
                    "submitted_at": submitted,
                    "on_time": on_time,
                    "accepted_at": accepted_at,
                    "decided_by": decided_by,
                    "return_reason": reason,
                    "returned_at": returned_at,
                    "created_at": now,
                    "updated_at": now,
                    "version": 1,
                }
        if current is not None:
            flush_village(current, totals)

    bulk.insert_rows(session, ActivityReport.__table__, rows(), progress=ctx.progress)
    _write_counters(session, village_rows, above, active)
    return written


def _write_counters(
    session: Session, village_rows: list[tuple[str, str, list[int]]], above: dict[tuple[str, str], dict[str, int]], active: dict[str, int]
) -> None:
    """The totals rows as made. No report existed before the seed (it refuses a database with
    non-synthetic posyandu, and to seed twice), so the rows are replaced whole."""
    columns = list(counters.COLUMNS.values())

    def rows() -> Iterator[dict[str, Any]]:
        for code, p, values in village_rows:
            row: dict[str, Any] = {"region_code": code, "period": p, **dict(zip(columns, values, strict=True)), "totals": None}
            row["expected"] = max(active.get(code, 0), row[counters.RECEIVED])
            yield row
        for key in sorted(above):
            yield counters.row_of(key, above[key], active.get(key[0], 0))

    session.execute(delete(counters.TABLE))
    bulk.insert_rows(session, counters.TABLE, rows())


def clear(session: Session) -> int:
    """Remove the reports of synthetic posyandu (before the posyandu go), and their counters."""
    synthetic_posyandu = select(Posyandu.id).where(Posyandu.name.startswith(MARK))
    n = rowcount(session.execute(delete(ActivityReport).where(ActivityReport.posyandu_id.in_(synthetic_posyandu))))
    counters.rebuild(session)
    return n


synthetic.register_step("activity reports", seed)
synthetic.CLEAR_STEPS["activity reports"] = clear
