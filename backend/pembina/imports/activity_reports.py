"""Monthly activity reports in bulk: a kecamatan (or any coordinator above) enters a month's
reports of its posyandu from one spreadsheet.

The columns follow the questions in force (`activity_reports.fields.definitions()`): besides
`period`, the posyandu (`posyandu_id` or `registration_number`), `days_open`, `kader_present` and
`notes`, one integer column `<spm_field>.<code>` per question and one `target.<group>` per target
group. Each row creates one report, **as submitted** (submitted now: on time when now is by the
month's due day), with the questions in force kept with it, as a report made in the dashboard and
submitted at once. Nothing is ever updated: a row for a posyandu that already has that month's
report (in any status) is a row error, as is a posyandu outside the caller's region, an inactive
one, a month not yet begun, or the same posyandu and month twice in the file. All or nothing: any
error writes nothing. The writes are set-based, in the import's transaction: the reports and an
audit event each (as the recorder writes for an ORM create: the change feed sees them), and the
counters summed per region and month in memory (rolled up to the province there too), then
written once per (region, month) row in one set-based upsert (`activity_reports.counters.apply`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterator
from typing import Any

from sqlalchemy import func, select, tuple_
from sqlalchemy.orm import Session

from pembina.activity_reports import counters, fields
from pembina.activity_reports.models import ActivityReport
from pembina.activity_reports.schemas import TargetGroup
from pembina.audit.models import AuditEvent
from pembina.audit.recorder import _jsonable
from pembina.auth import policy
from pembina.auth.policy import Action
from pembina.imports.columns import activity_report_columns, question_column, target_column
from pembina.imports.rows import Errors, read_header, records
from pembina.imports.schemas import ImportMode
from pembina.kit import bulk
from pembina.kit.db import utcnow
from pembina.kit.i18n import tr
from pembina.kit.scope import Principal, level_of
from pembina.posyandu.models import Posyandu

#: Rows looked up in the database at once (posyandu, existing reports).
CHUNK = 2000


def _label(v: dict[str, Any]) -> str:
    return str(v.get("posyandu_id") or v.get("registration_number") or "")


def _chunks(items: Iterator[tuple[int, dict[str, Any]]], size: int) -> Iterator[list[tuple[int, dict[str, Any]]]]:
    chunk: list[tuple[int, dict[str, Any]]] = []
    for item in items:
        chunk.append(item)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _find_posyandu(session: Session, chunk: list[tuple[int, dict[str, Any]]]) -> tuple[dict[int, Any], dict[str, Any]]:
    ids = {v["posyandu_id"] for _, v in chunk if v.get("posyandu_id")}
    numbers = {v["registration_number"] for _, v in chunk if v.get("registration_number")}
    cols = (Posyandu.id, Posyandu.region_code, Posyandu.is_active, Posyandu.registration_number)
    by_id = {r.id: r for r in session.execute(select(*cols).where(Posyandu.id.in_(ids)))} if ids else {}
    by_number = (
        {r.registration_number: r for r in session.execute(select(*cols).where(Posyandu.registration_number.in_(numbers)))}
        if numbers
        else {}
    )
    return by_id, by_number


def run(
    session: Session,
    principal: Principal,
    mode: ImportMode,
    raw: Iterator[list[str]],
    errors: Errors,
    progress: Callable[[int], None] | None,
) -> tuple[int, int, int]:
    header, present, header_row = read_header(raw, activity_report_columns(), errors)
    if "posyandu_id" not in present and "registration_number" not in present:
        errors.add(
            header_row,
            "posyandu_id",
            None,
            tr(
                "The file needs a posyandu_id or a registration_number column.",
                "Berkas memerlukan kolom posyandu_id atau registration_number.",
            ),
        )
    if errors:
        return (0, 0, 0)
    questions = fields.definitions()
    current = fields.current_period()
    seen: dict[tuple[int, str], int] = {}
    accepted: list[tuple[int, dict[str, Any], Any]] = []  # (row, values, posyandu row)
    for chunk in _chunks(records(raw, header, header_row, errors), CHUNK):
        by_id, by_number = _find_posyandu(session, chunk)
        found: list[tuple[int, dict[str, Any], Any]] = []
        for row_no, v in chunk:
            pid, number = v.get("posyandu_id"), v.get("registration_number")
            if pid is None and number is None:
                errors.add(
                    row_no, "posyandu_id", None, tr("Give posyandu_id or registration_number.", "Isi posyandu_id atau registration_number.")
                )
                continue
            p = by_id.get(pid) if pid is not None else by_number.get(str(number))
            if p is not None and pid is not None and number is not None and p.registration_number != number:
                errors.add(
                    row_no,
                    "registration_number",
                    number,
                    tr(f"Posyandu {pid} does not have this registration number.", f"Posyandu {pid} tidak bernomor registrasi ini."),
                )
                continue
            column = "posyandu_id" if pid is not None else "registration_number"
            # a posyandu outside the region reads as unknown, as GET /posyandu/{id} does (404)
            if p is None or not principal.covers(p.region_code):
                errors.add(
                    row_no,
                    column,
                    _label(v),
                    tr(f"No posyandu {_label(v)} in your region.", f"Tidak ada posyandu {_label(v)} di wilayah Anda."),
                )
                continue
            problem = policy.refusal(principal, Action.create_activity_report, policy.region(p.region_code))
            if problem is not None:
                errors.add(row_no, column, _label(v), problem.detail or problem.title)
                continue
            if not p.is_active:
                errors.add(
                    row_no,
                    column,
                    _label(v),
                    tr("The posyandu is inactive: it is not expected to report.", "Posyandu tidak aktif: tidak wajib melapor."),
                )
                continue
            if v["period"] > current:
                errors.add(row_no, "period", v["period"], tr(f"{v['period']} has not begun yet.", f"{v['period']} belum dimulai."))
                continue
            key = (p.id, v["period"])
            if key in seen:
                errors.add(
                    row_no,
                    column,
                    _label(v),
                    tr(
                        f"The same posyandu and month are given twice in the file (also on row {seen[key]}).",
                        f"Posyandu dan bulan yang sama muncul dua kali dalam berkas (juga di baris {seen[key]}).",
                    ),
                )
                continue
            seen[key] = row_no
            found.append((row_no, v, p))
        keys = [(p.id, v["period"]) for _, v, p in found]
        existing = (
            {
                (pid, period): rid
                for rid, pid, period in session.execute(
                    select(ActivityReport.id, ActivityReport.posyandu_id, ActivityReport.period).where(
                        tuple_(ActivityReport.posyandu_id, ActivityReport.period).in_(keys)
                    )
                )
            }
            if keys
            else {}
        )
        for row_no, v, p in found:
            clash = existing.get((p.id, v["period"]))
            if clash is not None:
                errors.add(
                    row_no,
                    "period",
                    v["period"],
                    tr(
                        f"Posyandu {p.id} already has a report for {v['period']} (id {clash}): edit that one.",
                        f"Posyandu {p.id} sudah memiliki laporan {v['period']} (id {clash}): ubah laporan itu.",
                    ),
                )
            else:
                accepted.append((row_no, v, p))
        if progress:
            progress(len(chunk))
    if errors or mode == ImportMode.dry_run:
        return (len(accepted), 0, 0)
    _write(session, questions, accepted)
    return (len(accepted), 0, 0)


def _answers(questions: dict[str, dict[str, str]], v: dict[str, Any]) -> dict[str, dict[str, int]]:
    out: dict[str, dict[str, int]] = {}
    for f, asked in questions.items():
        kept = {code: n for code in asked if (n := v.get(question_column(f, code)))}
        if kept:
            out[f] = kept
    return out


def _write(session: Session, questions: dict[str, dict[str, str]], accepted: list[tuple[int, dict[str, Any], Any]]) -> None:
    """Create the reports as submitted now, with one audit event each (as the recorder writes for
    an ORM create: the change feed sees them), and move the counters once per region and month (one row each, whatever the number of reports).
    Set-based (`kit.bulk`: COPY on PostgreSQL), not one ORM object per row: a month of a
    kecamatan's, or a province's, reports commits in seconds."""
    now = utcnow()
    dues: dict[str, Any] = {}
    deltas: dict[tuple[str, str], dict[str, int]] = defaultdict(lambda: defaultdict(int))
    table = ActivityReport.__table__
    rows: list[dict[str, Any]] = []
    for _, v, p in accepted:
        period = v["period"]
        due = dues.get(period) or dues.setdefault(period, fields.due_date(period))
        answers = _answers(questions, v)
        row = {
            "region_code": p.region_code,
            "level": level_of(p.region_code),
            "posyandu_id": p.id,
            "period": period,
            "status": "submitted",
            "days_open": v.get("days_open") or 0,
            "kader_present": v.get("kader_present") or 0,
            "questions": questions,
            "counts": answers,
            "target_groups": {g.value: n for g in TargetGroup if (n := v.get(target_column(g.value)))},
            "active_mask": fields.active_mask(answers),
            "notes": v.get("notes"),
            "due_date": due,
            "first_submitted_at": now,
            "submitted_at": now,
            "on_time": fields.on_time(now, due),
            "accepted_at": None,
            "decided_by": None,
            "return_reason": None,
            "returned_at": None,
            "created_at": now,
            "updated_at": now,
            "version": 1,
        }
        rows.append(row)
        d = deltas[(p.region_code, period)]
        for m, n in counters.contribution_of(
            "submitted", row["on_time"], row["days_open"], row["kader_present"], answers, row["target_groups"], row["active_mask"]
        ).items():
            d[m] += n
    if not rows:
        return
    bulk.insert_rows(session, table, rows)
    # the new ids: the rows of these months created at this very instant
    ids = {
        (pid, period): rid
        for rid, pid, period in session.execute(
            select(ActivityReport.id, ActivityReport.posyandu_id, ActivityReport.period).where(
                ActivityReport.period.in_(list(dues)), ActivityReport.created_at == now
            )
        )
    }
    _audit(session, now, [{**r, "id": ids[(r["posyandu_id"], r["period"])]} for r in rows])
    counters.apply(session, deltas)


def _audit(session: Session, now: Any, rows: list[dict[str, Any]]) -> None:
    """One `create` audit event per report, its `after` every column as the recorder snapshots it."""
    conn = session.connection()
    principal = session.info.get("principal")
    actor, actor_name = (
        (principal.subject, principal.name)
        if principal is not None
        else (session.info.get("actor", "system"), session.info.get("actor_name"))
    )
    txid = conn.scalar(select(func.txid_current())) if conn.dialect.name == "postgresql" else 0
    columns = [c.name for c in ActivityReport.__table__.columns]
    request_id = session.info.get("request_id")
    # every report carries the same questions object: made JSON-ready once
    shared = rows[0]["questions"] if rows else None
    shared_json = _jsonable(shared)
    events = (
        {
            "occurred_at": now,
            "actor": actor,
            "actor_name": actor_name,
            "action": "create",
            "entity_type": ActivityReport.__tablename__,
            "entity_id": str(r["id"]),
            "region_code": r["region_code"],
            "prior_region_code": None,
            "before": None,
            "after": {c: shared_json if c == "questions" and r[c] is shared else _jsonable(r[c]) for c in columns},
            "request_id": request_id,
            "txid": txid,
        }
        for r in rows
    )
    bulk.insert_rows(session, AuditEvent.__table__, events)
