from __future__ import annotations

from pydantic import BaseModel, Field


class ExportColumn(BaseModel):
    key: str = Field(description="Dotted path into the list item, e.g. `region.name`.", examples=["region_code"])
    label: str = Field(description="The column header in the file.", examples=["Kode Wilayah"])


class ListExportInfo(BaseModel):
    name: str = Field(examples=["posyandu"])
    title: str = Field(examples=["Daftar Posyandu"])
    path: str = Field(description="GET this path (under /api/v1) with `format` and the list's filters.", examples=["/exports/posyandu"])
    list_operation: str = Field(description="The list whose rows, filters, sort and scope the export shares.", examples=["posyandu-list"])
    formats: list[str]
    filters: list[str] = Field(description="The list's query filters, accepted as they are.")
    columns: list[ExportColumn]


class ReportInfoRead(BaseModel):
    name: str = Field(examples=["compliance"])
    title: str
    path: str = Field(examples=["/exports/reports/compliance"])
    description: str


class ExportCatalog(BaseModel):
    lists: list[ListExportInfo]
    reports: list[ReportInfoRead] = Field(description="Formatted XLSX reports.")
    documents: list[ReportInfoRead] = Field(description="Printable PDF documents.")
    max_rows: int = Field(description="Most rows one list export may hold; more is a 422 asking to narrow the filters.")
