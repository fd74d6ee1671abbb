from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, Field

from pembina.kit.i18n import describe_pattern
from pembina.kit.params import Filters, search_text
from pembina.kit.params import Input
from pembina.kit.reads import TrackedRead
from pembina.kit.provenance import SourcedRead

NUMBER_PATTERN = describe_pattern(
    r"^[0-9A-Za-z./-]+$", "letters, digits, dots, slashes or hyphens", "huruf, angka, titik, garis miring atau tanda hubung"
)


class LegalKind(StrEnum):
    uu = "uu"
    pp = "pp"
    perpres = "perpres"
    permendagri = "permendagri"
    permenkes = "permenkes"
    kepmendagri = "kepmendagri"
    perda = "perda"
    pergub = "pergub"
    perbup = "perbup"
    perwal = "perwal"
    keputusan = "keputusan"
    other = "other"


#: How a citation names each kind ("UU No. 17 Tahun 2023").
KIND_LABEL = {
    "uu": "UU",
    "pp": "PP",
    "perpres": "Perpres",
    "permendagri": "Permendagri",
    "permenkes": "Permenkes",
    "kepmendagri": "Kepmendagri",
    "perda": "Perda",
    "pergub": "Pergub",
    "perbup": "Perbup",
    "perwal": "Perwal",
    "keputusan": "Keputusan",
    "other": "",
}


class LegalReferenceCreate(Input):
    kind: LegalKind = Field(examples=["permendagri"])
    number: str = Field(min_length=1, max_length=64, pattern=NUMBER_PATTERN, examples=["13"])
    year: int = Field(ge=1945, le=2100, examples=[2024])
    title: str = Field(min_length=1, max_length=500, examples=["Pos Pelayanan Terpadu"])
    issuer: str | None = Field(default=None, max_length=200, description="For regional instruments, e.g. 'Wali Kota Serang'.")
    notes: str | None = Field(default=None, max_length=5000)


class LegalReferenceUpdate(Input):
    kind: LegalKind | None = None
    number: str | None = Field(default=None, min_length=1, max_length=64, pattern=NUMBER_PATTERN)
    year: int | None = Field(default=None, ge=1945, le=2100)
    title: str | None = Field(default=None, min_length=1, max_length=500)
    issuer: str | None = Field(default=None, max_length=200)
    notes: str | None = Field(default=None, max_length=5000)


class LegalReferenceRef(BaseModel):
    id: int
    citation: str = Field(description="e.g. 'Permendagri No. 13 Tahun 2024'.", examples=["Permendagri No. 13 Tahun 2024"])
    title: str


class _LegalReference(BaseModel):
    id: int
    kind: LegalKind
    number: str
    year: int
    title: str
    issuer: str | None
    notes: str | None
    citation: str = Field(description="e.g. 'Permendagri No. 13 Tahun 2024'.")


class LegalReferenceRead(TrackedRead, SourcedRead, _LegalReference):
    pass


class LegalReferenceFilters(Filters):
    q: str | None = search_text("Search title and number.")
    kind: LegalKind | None = None
    year: int | None = Field(None, ge=1945, le=2100)
