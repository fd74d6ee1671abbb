"""`pembina export`: the API's exports from the command line, with a progress bar.

Runs the same code as the API (same filters, scope and audit event). `--as-user` applies
that account's region scope; without it the export is national, by "system:cli".
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Annotated, Any, Optional, cast

import typer
from pydantic import ValidationError, create_model
from sqlalchemy import select
from sqlalchemy.orm import Session

from pembina.kit.tabular import ExportFormat
from pembina.kit.errors import Problem
from pembina.kit.scope import Principal
from pembina.kit.db import get_sessionmaker
from pembina.auth.deps import principal_for_subject
from pembina.users.models import User
from pembina.budgets.schemas import BudgetSource, RollupGroup
from pembina.audit import recorder
from pembina.exports import lists, pdf, reports, service
from pembina.regions.schemas import RegionLevel

REPORT_TARGETS = ("compliance", "registration-batch", "budget-rollup", "region-summary")


def session_factory() -> Callable[[], Session]:
    return get_sessionmaker()


def _principal(session: Session, username: str | None) -> Principal:
    if username is None:
        session.info["actor"] = "system:cli"
        return Principal(kind="system", id=0, name="pembina export", role=None, region_code=None)
    user_id = session.scalar(select(User.id).where(User.username == username.strip().lower()))
    principal = principal_for_subject(session, f"user:{user_id}") if user_id else None
    if principal is None:
        raise typer.BadParameter(f"no active user '{username}'", param_hint="--as-user")
    session.info["principal"] = principal
    return principal


def _filters(spec: Any, pairs: list[str], region: str | None) -> dict[str, Any]:
    """`key=value` pairs checked against the list's own filter types."""
    raw: dict[str, Any] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep:
            raise typer.BadParameter(f"'{pair}' is not key=value", param_hint="--filter")
        raw[key.strip()] = value
    if region is not None:
        if spec.region_filter is None:
            raise typer.BadParameter(f"the {spec.name} list has no region filter", param_hint="--region")
        raw[spec.region_filter] = region
    known = {p.name for p in spec.filters}
    unknown = set(raw) - known
    if unknown:
        raise typer.BadParameter(
            f"unknown filter(s) {', '.join(sorted(unknown))}; {spec.name} accepts {', '.join(sorted(known)) or 'none'}",
            param_hint="--filter",
        )
    model = create_model(
        f"{spec.name}_filters",
        **{p.name: (p.annotation, None if p.default is None or hasattr(p.default, "annotation") else p.default) for p in spec.filters},
    )  # type: ignore[call-overload]
    try:
        checked = model.model_validate(raw)
    except ValidationError as e:
        raise typer.BadParameter(str(e), param_hint="--filter") from None
    return {p.name: getattr(checked, p.name) for p in spec.filters}


def _rollup_options(source: str | None, group_by: str) -> dict[str, Any]:
    try:
        src = BudgetSource(source) if source is not None else None
    except ValueError:
        raise typer.BadParameter(f"one of {', '.join(s.value for s in BudgetSource)}", param_hint="--source") from None
    try:
        group = RollupGroup(group_by)
    except ValueError:
        raise typer.BadParameter(f"one of {', '.join(g.value for g in RollupGroup)}", param_hint="--group-by") from None
    return {"source": src, "group_by": group}


def _tqdm_progress(desc: str) -> Callable[[int], Callable[[int], None]]:
    from tqdm import tqdm

    def start(total: int) -> Callable[[int], None]:
        bar = tqdm(total=total, unit=" baris", desc=desc)

        def step(n: int) -> None:
            bar.update(n)
            if bar.n >= total:
                bar.close()

        if total == 0:
            bar.close()
        return step

    return start


def export(
    target: Annotated[
        str,
        typer.Argument(
            help="A list (posyandu, users, regions, …; see GET /api/v1/exports) or a report: compliance, registration-batch, budget-rollup, region-summary (PDF)."
        ),
    ],
    out: Annotated[Path, typer.Option("--out", "-o", help="The file to write.")],
    format: Annotated[
        str, typer.Option("--format", "-f", help="xlsx or csv (lists only; reports are XLSX, region-summary is PDF).")
    ] = "xlsx",
    region: Annotated[Optional[str], typer.Option(help="Region code: the list's region filter, or the report's region.")] = None,
    filter: Annotated[
        Optional[list[str]], typer.Option("--filter", help="A list filter as key=value (repeatable), e.g. status=registered.")
    ] = None,
    sort: Annotated[Optional[str], typer.Option(help="Sort key of the list (prefix '-' for descending).")] = None,
    level: Annotated[str, typer.Option(help="compliance: the level counted (regency, district, village).")] = "village",
    as_of: Annotated[Optional[str], typer.Option("--as-of", help="compliance: the state at the end of this day (YYYY-MM-DD).")] = None,
    batch: Annotated[Optional[int], typer.Option(help="registration-batch: the batch id.")] = None,
    year: Annotated[
        Optional[int], typer.Option(min=2000, max=2100, help="budget-rollup: the fiscal year (all years when omitted).")
    ] = None,
    source: Annotated[Optional[str], typer.Option(help="budget-rollup: only this source (apbd, apbdes, dana_desa, ...).")] = None,
    group_by: Annotated[str, typer.Option("--group-by", help="budget-rollup: source, spm_field or year.")] = "source",
    as_user: Annotated[Optional[str], typer.Option("--as-user", help="Export as this user (their region scope applies).")] = None,
) -> None:
    """Export a list (XLSX/CSV), a formatted report (XLSX) or a region summary (PDF) to a file."""

    recorder.install()
    if format not in ("xlsx", "csv"):
        raise typer.BadParameter("xlsx or csv", param_hint="--format")
    specs = lists.registry()
    if target not in specs and target not in REPORT_TARGETS:
        raise typer.BadParameter(
            f"unknown export '{target}'; lists: {', '.join(sorted(specs))}; reports: {', '.join(REPORT_TARGETS)}", param_hint="TARGET"
        )
    with session_factory()() as session:
        try:
            principal = _principal(session, as_user)
            if target in specs:
                spec = specs[target]
                fmt = cast(ExportFormat, format)  # checked above: xlsx or csv
                f = service.export_list(session, principal, spec, fmt, _filters(spec, filter or [], region), sort, _tqdm_progress(target))
                shutil.move(f.path, out)
                rows = f.rows
            elif target == "region-summary":
                if not region:
                    raise typer.BadParameter("region-summary needs --region", param_hint="--region")
                out.write_bytes(pdf.region_summary_pdf(session, principal, region))
                service.audit(session, principal, "pdf:region-summary", region, {"region": region, "format": "pdf", "filename": out.name})
                rows = 0
            else:
                if target == "compliance":
                    if not region:
                        raise typer.BadParameter("compliance needs --region", param_hint="--region")

                    rep = reports.REPORTS["compliance"].build(
                        session,
                        principal,
                        region=region,
                        level=RegionLevel(level),
                        as_of=date.fromisoformat(as_of) if as_of else None,
                        year=None,
                    )
                elif target == "budget-rollup":
                    rep = reports.REPORTS["budget-rollup"].build(
                        session, principal, region=region, year=year, **_rollup_options(source, group_by)
                    )
                else:
                    if batch is None:
                        raise typer.BadParameter("registration-batch needs --batch", param_hint="--batch")
                    rep = reports.REPORTS["registration-batch"].build(session, principal, batch_id=batch)
                reports.render(rep, str(out))
                service.audit(session, principal, f"report:{target}", rep.region, {**rep.details, "format": "xlsx", "filename": out.name})
                rows = sum(len(s.rows) for s in rep.sheets)
            session.commit()
        except Problem as p:
            session.rollback()
            typer.echo(f"error: {p.detail}", err=True)
            raise typer.Exit(1) from None
    typer.echo(f"wrote {out}" + (f" ({rows:,} rows)" if rows else ""))
