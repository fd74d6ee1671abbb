"""A downloadable template per import kind: the header row and one example row (CSV), or a
workbook with a formatted header, the example row, a notes sheet and drop-down lists (XLSX)."""

from __future__ import annotations

import csv
import io

from pembina.imports.columns import DESCRIPTIONS, columns_of
from pembina.imports.schemas import ImportKind, TemplateFormat

MEDIA_TYPES = {
    TemplateFormat.csv: "text/csv; charset=utf-8",
    TemplateFormat.xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def template(kind: ImportKind, fmt: TemplateFormat) -> tuple[bytes, str, str]:
    """(content, media type, file name)."""
    filename = f"pembina-import-{kind.value}.{fmt.value}"
    return (_csv(kind) if fmt == TemplateFormat.csv else _xlsx(kind)), MEDIA_TYPES[fmt], filename


def _csv(kind: ImportKind) -> bytes:
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    cols = columns_of(kind)
    w.writerow([c.name for c in cols])
    w.writerow([c.example for c in cols])
    return out.getvalue().encode("utf-8")


def _xlsx(kind: ImportKind) -> bytes:
    import xlsxwriter

    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True, "strings_to_numbers": False})
    head = wb.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1})
    required = wb.add_format({"bold": True, "bg_color": "#FCE4D6", "border": 1})
    text = wb.add_format({"num_format": "@"})
    ws = wb.add_worksheet(kind.value)
    notes = wb.add_worksheet("keterangan")
    notes.write_row(0, 0, ["column", "required", "type", "description", "allowed values"], head)
    cols = columns_of(kind)
    notes.write(len(cols) + 2, 0, DESCRIPTIONS[kind])
    for i, col in enumerate(cols):
        ws.write_string(0, i, col.name, required if col.required else head)
        ws.set_column(i, i, max(12, len(col.name) + 2), text)
        if col.example:
            ws.write_string(1, i, col.example)
        allowed = col.allowed() if col.allowed else None
        if allowed and col.type == "enum" and sum(len(a) + 1 for a in allowed) < 255:
            ws.data_validation(1, i, 1_048_575, i, {"validate": "list", "source": allowed, "ignore_blank": True})
        notes.write_row(i + 1, 0, [col.name, "yes" if col.required else "", col.type, col.description, "; ".join(allowed or [])])
    ws.freeze_panes(1, 0)
    notes.set_column(0, 0, 18)
    notes.set_column(3, 4, 60)
    wb.close()
    return buf.getvalue()
