from __future__ import annotations

from typing import Annotated
from urllib.parse import quote

from fastapi import File, Response, UploadFile

from pembina.auth.deps import CurrentPrincipal, DbSession
from pembina.kit.errors import responses
from pembina.imports import service, templates
from pembina.imports.schemas import ImportKind, ImportMode, ImportReport, KindSpec, TemplateFormat
from pembina.kit.routing import api_router

router = api_router(prefix="/imports", tags=["imports"])


@router.get("", operation_id="imports-kinds", responses=responses(401))
def list_kinds() -> list[KindSpec]:
    """What can be imported: each kind's columns, types, allowed values and key"""
    return service.kinds()


@router.get(
    "/templates/{kind}",
    operation_id="imports-template",
    response_class=Response,
    responses={
        **responses(401),
        200: {"content": {"text/csv": {}, templates.MEDIA_TYPES[TemplateFormat.xlsx]: {}}, "description": "The template file."},
    },
)
def download_template(kind: ImportKind, format: TemplateFormat = TemplateFormat.xlsx) -> Response:
    """Download an import template (header and an example row)"""
    content, media_type, filename = templates.template(kind, format)
    return Response(
        content=content,
        media_type=media_type,
        headers={"Content-Disposition": f"attachment; filename=\"{filename}\"; filename*=UTF-8''{quote(filename)}"},
    )


@router.post("/{kind}", operation_id="imports-run")
def run_import(
    db: DbSession,
    me: CurrentPrincipal,
    kind: ImportKind,
    file: Annotated[UploadFile, File(description="The .xlsx or .csv file.")],
    mode: ImportMode = ImportMode.dry_run,
) -> ImportReport:
    """Import a CSV or XLSX file (dry run or commit, all or nothing)

    Send the file as multipart field `file` (.xlsx, or a UTF-8 CSV with `,` or `;`). Every row is validated first;
    any error is a 422 problem whose `errors` name the row, column and value (the first 1,000; `error_count` counts
    all) and nothing is written. `mode=dry_run` (the default) only reports what a commit would do; `mode=commit`
    writes every row in one transaction. Rows are matched on the kind's key (see GET /imports): re-importing a file
    changes nothing. Rows outside your region are row errors.
    """
    return service.run(db, me, kind, mode, file.file, file.filename)
