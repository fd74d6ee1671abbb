"""Synthetic monthly activity reports for `pembina seed-synthetic` (benchmark data only).

For each active synthetic posyandu, the 12 months up to the one being reported now
(`fields.last_period()`; `--report-months N` to change, 0 for none): about 92% of the months have
a report; of those about 8% are still drafts, the rest submitted (83% of them on time, by the due
day; late ones up to three weeks after it), then accepted (55%), returned with a reason (4%) or left
submitted. Each report answers the services its posyandu runs (1-4 times each) and its fields'
usual measures, with days open, kader present and target groups in plausible ranges. Notes start
with `[SINTETIS]`; `--clear` removes the reports of synthetic posyandu.

Rows go in with `kit.bulk` (COPY on PostgreSQL); the counters are computed while the rows are
made, a village at a time (posyandu come in village order), written in bulk, then rolled up to the
district, regency and province with three INSERT ... SELECT: no report is read back.
"""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Iterator
from datetime import UTC, datetime, time, timedelta
from typing import Any

from sqlalchemy import delete, func, insert, select
from sqlalchemy.orm import Session

from pembina import synthetic
from pembina.activity_reports import counters, fields
from pembina.activity_reports.models import ActivityReport, ActivityReportCount
from pembina.kit import bulk, clock
from pembina.kit.db import rowcount, utcnow
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
    village_rows: list[dict[str, Any]] = []
    written = 0

    def flush_village(code: str, totals: dict[tuple[str, str], int]) -> None:
        village_rows.extend({"region_code": code, "period": p, "metric": m, "value": v} for (p, m), v in sorted(totals.items()) if v)

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
    _write_counters(session, village_rows)
    return written


def _write_counters(session: Session, village_rows: list[dict[str, Any]]) -> None:
    """The village counters as made, then each level above summed from the one below (dotted
    codes: district 8 characters, regency 5, province 2). No report existed before the seed (it
    refuses a database with non-synthetic posyandu, and to seed twice), so the counters are
    replaced whole."""
    session.execute(delete(ActivityReportCount))
    bulk.insert_rows(session, ActivityReportCount.__table__, iter(village_rows))
    t = ActivityReportCount.__table__
    for below, width in ((13, 8), (8, 5), (5, 2)):
        code = func.substr(t.c.region_code, 1, width)
        sel = (
            select(code.label("region_code"), t.c.period, t.c.metric, func.sum(t.c.value))
            .where(func.length(t.c.region_code) == below)
            .group_by(code, t.c.period, t.c.metric)
        )
        session.execute(insert(t).from_select(["region_code", "period", "metric", "value"], sel))


def clear(session: Session) -> int:
    """Remove the reports of synthetic posyandu (before the posyandu go), and their counters."""
    synthetic_posyandu = select(Posyandu.id).where(Posyandu.name.startswith(MARK))
    n = rowcount(session.execute(delete(ActivityReport).where(ActivityReport.posyandu_id.in_(synthetic_posyandu))))
    counters.rebuild(session)
    return n


synthetic.register_step("activity reports", seed)
synthetic.CLEAR_STEPS["activity reports"] = clear
