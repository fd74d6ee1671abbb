from __future__ import annotations

import inspect
import os
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query
from fastapi.responses import FileResponse, Response
from starlette.background import BackgroundTask

from pembina.auth.deps import CurrentPrincipal, DbSession
from pembina.budgets.schemas import BudgetSource, RollupGroup
from pembina.config import get_settings
from pembina.kit.errors import responses
from pembina.exports import lists, pdf, reports, service
from pembina.exports.schemas import ExportCatalog, ExportColumn, ListExportInfo, ReportInfoRead
from pembina.kit.tabular import XLSX, ExportFormat
from pembina.kit.params import CODE_PATTERN, IsoDate, RecordId
from pembina.regions.schemas import RegionLevel
from pembina.kit.routing import api_router

router = api_router(prefix="/exports", tags=["exports"])

BINARY = {"schema": {"type": "string", "format": "binary"}}
TABLE_FILE: dict[int | str, dict[str, Any]] = {
    200: {"content": {XLSX: BINARY, "text/csv": BINARY}, "description": "The file, as an attachment."}
}
XLSX_FILE: dict[int | str, dict[str, Any]] = {200: {"content": {XLSX: BINARY}, "description": "The workbook, as an attachment."}}
PDF_FILE: dict[int | str, dict[str, Any]] = {200: {"content": {"application/pdf": BINARY}, "description": "The PDF, as an attachment."}}
FORMAT_HELP = "`xlsx` (Excel, formatted) or `csv` (UTF-8 with BOM)."
PDF_SUMMARY = ReportInfoRead(
    name="region-summary",
    title="Ringkasan Wilayah (PDF)",
    path="/exports/regions/{code}/summary.pdf",
    description="A printable summary of a region: ancestors, counts, compliance and the regions missing their SK, posyandu, SPM coverage, pilots.",
)


def send(f: service.ExportFile) -> FileResponse:
    """The file as an attachment; the temporary file is removed once sent."""
    return FileResponse(
        f.path,
        media_type=f.media_type,
        filename=f.filename,
        background=BackgroundTask(os.unlink, f.path),
        headers={"X-Export-Rows": str(f.rows)},
    )


@router.get("", operation_id="exports-list", responses=responses(401))
def catalog() -> ExportCatalog:
    """What can be exported: every list, the reports, the PDF summary"""
    return ExportCatalog(
        lists=[
            ListExportInfo(
                name=s.name,
                title=s.title,
                path=s.export_path,
                list_operation=s.operation_id,
                formats=["xlsx", "csv"],
                filters=[p.name for p in s.filters],
                columns=[ExportColumn(key=c.key, label=c.label) for c in s.columns],
            )
            for s in lists.registry().values()
        ],
        reports=[ReportInfoRead(name=r.name, title=r.title, path=r.path, description=r.description) for r in reports.REPORTS.values()],
        documents=[PDF_SUMMARY],
        max_rows=get_settings().export_max_rows,
    )


# -- reports ----------------------------------------------------------------------


def _send_report(db: Any, me: Any, name: str, rep: reports.Report) -> FileResponse:
    path = service.temp_path("xlsx")
    try:
        reports.render(rep, path)
    except BaseException:
        os.unlink(path)
        raise
    fname = service.filename(rep.stem, rep.region, "xlsx")
    rows = sum(len(s.rows) for s in rep.sheets)
    service.audit(db, me, f"report:{name}", rep.region, {**rep.details, "format": "xlsx", "filename": fname})
    return send(service.ExportFile(path=path, media_type=XLSX, filename=fname, rows=rows))


@router.get(
    "/reports/compliance", operation_id="exports-report-compliance", response_class=Response, responses={**XLSX_FILE, **responses(404)}
)
def compliance_report(
    db: DbSession,
    me: CurrentPrincipal,
    region: Annotated[str, Query(pattern=CODE_PATTERN, examples=["33.75"], description="The region whose children are compared.")],
    level: RegionLevel = RegionLevel.village,
    as_of: Annotated[IsoDate | None, Query(description="The state at the end of this day (YYYY-MM-DD).")] = None,
    year: Annotated[int | None, Query(ge=2000, le=2100)] = None,
) -> Response:
    """Compliance board as a formatted XLSX report (Rekapitulasi)

    The compliance board of `region` (see `regions-compliance`): one row per child region with a totals row, and a
    second sheet listing the regions at `level` with no reported SK. `as_of` replays the history; `year` picks the
    deadlines.
    """
    rep = reports.REPORTS["compliance"].build(db, me, region=region, level=level, as_of=as_of, year=year)
    return _send_report(db, me, "compliance", rep)


@router.get(
    "/reports/registration-batches/{batch_id}",
    operation_id="exports-report-registration-batch",
    response_class=Response,
    responses=XLSX_FILE,
)
def registration_batch_report(db: DbSession, me: CurrentPrincipal, batch_id: RecordId) -> Response:
    """A registration batch as a formatted XLSX report (Rekapitulasi Usulan Registrasi)

    The batch's posyandu (the rows of `registration-batches-export`) under a title, with totals; for the cover
    letter. To collect the registration numbers, use `registration-batches-export` and
    `registration-batches-import-numbers`.
    """
    rep = reports.REPORTS["registration-batch"].build(db, me, batch_id=batch_id)
    return _send_report(db, me, "registration-batch", rep)


@router.get(
    "/reports/budget-rollup",
    operation_id="exports-report-budget-rollup",
    response_class=Response,
    responses={**XLSX_FILE, **responses(404)},
)
def budget_rollup_report(
    db: DbSession,
    me: CurrentPrincipal,
    region: Annotated[
        str | None, Query(pattern=CODE_PATTERN, examples=["33.75"], description="That region and everything under it.")
    ] = None,
    year: Annotated[int | None, Query(ge=2000, le=2100, description="Fiscal year.")] = None,
    source: BudgetSource | None = None,
    group_by: RollupGroup = RollupGroup.source,
) -> Response:
    """Budget roll-up as a formatted XLSX report (Rekapitulasi Anggaran)

    The rows of `budgets-rollup` (same filters and region scope) under a title: ceiling (by source and year),
    allocations, realization, remainder and percent, with a totals row. Without `region`, your own region (national
    for national roles).
    """
    rep = reports.REPORTS["budget-rollup"].build(db, me, region=region, year=year, source=source, group_by=group_by)
    return _send_report(db, me, "budget-rollup", rep)


# -- PDF --------------------------------------------------------------------------


@router.get(
    "/regions/{code}/summary.pdf",
    operation_id="exports-region-summary-pdf",
    summary="A printable PDF summary of a region",
    description=PDF_SUMMARY.description,
    response_class=Response,
    responses=PDF_FILE,
)
def region_summary_pdf(
    db: DbSession,
    me: CurrentPrincipal,
    code: Annotated[str, Path(pattern=CODE_PATTERN, examples=["33.75"], description="Dotted Kemendagri code.")],
) -> Response:
    content = pdf.region_summary_pdf(db, me, code)
    fname = service.filename("ringkasan-wilayah", code, "pdf")
    service.audit(db, me, "pdf:region-summary", code, {"region": code, "format": "pdf", "filename": fname, "bytes": len(content)})
    return Response(content=content, media_type="application/pdf", headers={"Content-Disposition": f'attachment; filename="{fname}"'})


# -- every list -------------------------------------------------------------------


def _list_endpoint(spec: lists.ListExport) -> Any:
    def export(*, db: Any, me: Any, format: ExportFormat, **filters: Any) -> Response:
        sort = filters.pop("sort", None)
        return send(service.export_list(db, me, spec, format, filters, sort))

    K = inspect.Parameter.KEYWORD_ONLY
    params = [
        inspect.Parameter("db", K, annotation=DbSession),
        inspect.Parameter("me", K, annotation=CurrentPrincipal),
        inspect.Parameter("format", K, annotation=ExportFormat, default=Query("xlsx", description=FORMAT_HELP)),
        *([inspect.Parameter("sort", K, annotation=str | None, default=spec.sort)] if spec.sort is not None else []),
        *spec.filters,
    ]
    export.__signature__ = inspect.Signature(params, return_annotation=Response)  # type: ignore[attr-defined]
    # Resolved annotations: integer path parameters then only match digits (pembina.kit.routing).
    export.__annotations__ = {p.name: p.annotation for p in params}
    export.__name__ = f"export_{spec.name.replace('-', '_')}"
    return export


def list_router() -> APIRouter:
    """One export route per registered list (`lists.register`): `GET /exports/<list>?format=xlsx|csv&<the list's filters>`
    (a record's list, e.g. a team's members: `GET /exports/teams/{team_id}/members`)."""
    out = api_router(prefix="/exports", tags=["exports"])
    for spec in lists.registry().values():
        scope = "with the same filters, sort and region scope (not one page)" if spec.page_param else "with the same region scope"
        out.add_api_route(
            spec.export_path.removeprefix("/exports"),
            _list_endpoint(spec),
            methods=["GET"],
            operation_id=f"exports-{spec.name}",
            summary=f"{spec.title}: the whole list as XLSX or CSV",
            description=f"Every row of `{spec.operation_id}` {scope}, columns named in Indonesian. More than the configured "
            "maximum of rows (`GET /exports`) is a 422: narrow the filters.",
            response_class=Response,
            response_model=None,
            responses={**TABLE_FILE, **responses(403, 404)},
        )
    return out
