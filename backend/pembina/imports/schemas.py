from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, Field


class ImportKind(StrEnum):
    posyandu = "posyandu"
    teams = "teams"
    decrees = "decrees"
    activity_reports = "activity_reports"


class ImportMode(StrEnum):
    dry_run = "dry_run"
    commit = "commit"


class TemplateFormat(StrEnum):
    xlsx = "xlsx"
    csv = "csv"


class ColumnSpec(BaseModel):
    name: str = Field(description="The header to use (case and surrounding spaces are ignored).")
    type: str = Field(description="string | integer | number | boolean | date | code_list | enum")
    required: bool
    description: str
    allowed: list[str] | None = Field(default=None, description="The accepted values (enums and service codes).")
    max_length: int | None = None
    example: str


class KindSpec(BaseModel):
    kind: ImportKind
    description: str
    key: list[str] = Field(description="The columns that identify a record: a row whose key exists updates it.")
    columns: list[ColumnSpec]


class ImportCellError(BaseModel):
    row: int = Field(description="1-based row in the file (the header is row 1); 0 for the whole file.")
    column: str | None = Field(description="The column's header, when the error is about one cell.")
    value: str | None = Field(description="The offending cell, as read (truncated to 200 characters).")
    message: str


class ImportReport(BaseModel):
    kind: ImportKind
    mode: ImportMode
    rows: int = Field(description="Data rows read (blank rows are skipped).")
    created: int
    updated: int
    unchanged: int
    errors: list[ImportCellError] = Field(description="Row and column errors (the first 1,000); always empty on a 200.")
    error_count: int = Field(description="Every error found, including those beyond the list.")
    committed: bool = Field(description="True when the rows were written (commit mode without errors).")
    sha256: str = Field(description="The file's SHA-256 (recorded in the audit trail on commit).")
