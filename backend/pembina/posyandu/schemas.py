from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field, model_validator

from pembina.kit.i18n import Localised, describe_pattern
from pembina.kit.params import IdFilter
from pembina.regions.filters import InRegion
from pembina.auth.policy import AllowedActions
from pembina.auth.policy import ActionableRead
from pembina.posyandu.catalog import SpmField
from pembina.kit.params import IdField
from pembina.kit.provenance import SourcedRead

RW_RT_PATTERN = describe_pattern(r"^\d{1,3}$", "1 to 3 digits", "1 sampai 3 angka")

#: Ids are 32-bit integers in both databases: anything larger is a 422, never a database error.

#: Indonesia's extent (with a margin): Sabang to Merauke, Miangas to Rote.
LAT_MIN, LAT_MAX = -11.5, 6.5
LON_MIN, LON_MAX = 94.5, 141.5


class RegistrationStatusEnum(StrEnum):
    unregistered = "unregistered"
    proposed = "proposed"
    verified = "verified"
    submitted = "submitted"
    registered = "registered"
    returned = "returned"
    rejected = "rejected"


class TransitionAction(StrEnum):
    propose = "propose"
    verify = "verify"
    return_ = "return"
    reject = "reject"
    register = "register"
    reopen = "reopen"


class DocumentType(StrEnum):
    berita_acara_musyawarah = "berita_acara_musyawarah"
    sk_pembentukan = "sk_pembentukan"
    sk_pengurus = "sk_pengurus"
    data_kader = "data_kader"


Services = dict[SpmField, list[str]]


class _Fields(BaseModel):
    latitude: float | None = Field(default=None, ge=LAT_MIN, le=LAT_MAX, description=f"Within Indonesia ({LAT_MIN}…{LAT_MAX}).")
    longitude: float | None = Field(default=None, ge=LON_MIN, le=LON_MAX, description=f"Within Indonesia ({LON_MIN}…{LON_MAX}).")


class PosyanduCreate(_Fields):
    model_config = ConfigDict(extra="forbid")

    region_code: str = Field(description="The village (kelurahan/desa) code, e.g. 33.75.02.1008.", examples=["33.75.02.1008"])
    name: str = Field(min_length=1, max_length=200)
    rw: str | None = Field(default=None, pattern=RW_RT_PATTERN, description="Rukun Warga, e.g. '03'.")
    rt: str | None = Field(default=None, pattern=RW_RT_PATTERN, description="Rukun Tetangga.")
    address: str | None = Field(default=None, max_length=500)
    is_active: bool = True
    pengurus_count: int = Field(default=0, ge=0, le=10_000)
    kader_count: int = Field(default=0, ge=0, le=10_000)
    stratum: str | None = Field(default=None, description="One of the configured strata (default pratama, madya, purnama, mandiri).")
    services: Services = Field(default_factory=dict, description="Service codes per SPM field, from GET /posyandu/service-catalog.")
    notes: str | None = Field(default=None, max_length=5000)

    @model_validator(mode="after")
    def _both_coordinates(self) -> PosyanduCreate:
        if (self.latitude is None) != (self.longitude is None):
            raise Localised("give both latitude and longitude, or neither", "isi latitude dan longitude sekaligus, atau kosongkan keduanya")
        return self


class PosyanduUpdate(_Fields):
    model_config = ConfigDict(extra="forbid")

    region_code: str | None = None
    name: str | None = Field(default=None, min_length=1, max_length=200)
    rw: str | None = Field(default=None, pattern=RW_RT_PATTERN)
    rt: str | None = Field(default=None, pattern=RW_RT_PATTERN)
    address: str | None = Field(default=None, max_length=500)
    is_active: bool | None = None
    pengurus_count: int | None = Field(default=None, ge=0, le=10_000)
    kader_count: int | None = Field(default=None, ge=0, le=10_000)
    stratum: str | None = None
    services: Services | None = None
    notes: str | None = Field(default=None, max_length=5000)


class _Posyandu(BaseModel):
    id: int
    region_code: str
    village_name: str
    name: str
    rw: str | None
    rt: str | None
    address: str | None
    latitude: float | None
    longitude: float | None
    is_active: bool
    pengurus_count: int
    kader_count: int
    stratum: str | None
    services: dict[str, list[str]] = Field(description="Service codes per SPM field (every field present, possibly empty).")
    spm_fields: list[SpmField] = Field(description="The SPM fields with at least one service.")
    notes: str | None
    registration_status: RegistrationStatusEnum
    registration_number: str | None
    registered_at: datetime | None
    status_reason: str | None
    batch_id: int | None


class PosyanduRead(ActionableRead, SourcedRead, _Posyandu):
    pass


class CatalogService(BaseModel):
    code: str
    label: str


class CatalogField(BaseModel):
    field: SpmField
    label: str
    services: list[CatalogService]


class ServiceCatalog(BaseModel):
    fields: list[CatalogField]
    strata: list[str] = Field(description="The configured strata, in order.")
    document_types: list[DocumentType] = Field(description="Evidence documents a registration proposal needs.")
    min_pengurus_kader: int = Field(description="Pengurus + kader needed before proposing.")


# -- registration ---------------------------------------------------------------------


class ReadinessGap(BaseModel):
    code: str = Field(examples=["missing_document:sk_pembentukan", "too_few_pengurus_kader"])
    message: str


class Readiness(BaseModel):
    posyandu_id: int
    registration_status: RegistrationStatusEnum
    ready: bool = Field(description="True when nothing is missing.")
    missing: list[ReadinessGap]
    documents: dict[DocumentType, bool] = Field(description="Which evidence documents are uploaded.")
    pengurus_kader: int
    min_pengurus_kader: int
    sk_required: bool = Field(description="Whether a posyandu is proposed only once its village's SK TP Posyandu is reported (a setting).")
    sk_reported: bool = Field(description="Whether the village's SK TP Posyandu is reported (the compliance rule).")


class TransitionRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    action: TransitionAction = Field(
        description="propose (unregistered/returned → proposed), verify (proposed → verified), return / reject "
        "(proposed, verified or submitted → returned / rejected, with a reason), register (submitted → registered, "
        "with the number), reopen (rejected → unregistered). Submitting happens through a registration batch."
    )
    reason: str | None = Field(default=None, max_length=2000)
    registration_number: str | None = Field(default=None, min_length=1, max_length=64)


class RegistrationEventRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    posyandu_id: int
    action: str
    from_status: RegistrationStatusEnum
    to_status: RegistrationStatusEnum
    reason: str | None
    registration_number: str | None
    batch_id: int | None
    actor: str
    actor_name: str | None
    occurred_at: datetime


class DocumentRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    posyandu_id: int
    doc_type: DocumentType
    filename: str
    content_type: str
    size: int
    sha256: str
    uploaded_by: str | None
    uploaded_at: datetime


# -- batches --------------------------------------------------------------------------


class BatchCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    region_code: str = Field(description="The regency/city submitting, e.g. 33.75.", examples=["33.75"])
    title: str = Field(min_length=1, max_length=200)
    notes: str | None = Field(default=None, max_length=5000)
    posyandu_ids: list[IdField] = Field(default_factory=list, max_length=5000, description="Verified posyandu of that regency/city.")


class BatchUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    title: str | None = Field(default=None, min_length=1, max_length=200)
    notes: str | None = Field(default=None, max_length=5000)
    posyandu_ids: list[IdField] | None = Field(default=None, max_length=5000, description="Replace the members (draft batches only).")


class BatchStatus(StrEnum):
    draft = "draft"
    submitted = "submitted"
    completed = "completed"


class BatchMember(BaseModel):
    id: int
    name: str
    region_code: str
    village_name: str
    registration_status: RegistrationStatusEnum
    registration_number: str | None


class BatchRead(BaseModel):
    id: int
    region_code: str
    title: str
    notes: str | None
    status: BatchStatus
    created_by: str | None
    created_at: datetime
    updated_at: datetime
    submitted_at: datetime | None
    member_count: int
    registered_count: int
    version: int
    allowed_actions: AllowedActions


class BatchDetail(BatchRead):
    members: list[BatchMember]


class IssuedNumber(BaseModel):
    model_config = ConfigDict(extra="forbid")

    posyandu_id: IdField
    registration_number: str = Field(min_length=1, max_length=64, description="The Nomor Registrasi Posyandu issued to it.")


class NumberIssue(BaseModel):
    model_config = ConfigDict(extra="forbid")

    numbers: list[IssuedNumber] = Field(
        min_length=1, max_length=5000, description="One number per posyandu of the batch (some or all of those awaiting one)."
    )


class ImportRowError(BaseModel):
    row: int = Field(description="1-based row in the file (the header is row 1).")
    posyandu_id: str | None
    registration_number: str | None
    msg: str


class ImportRow(BaseModel):
    row: int
    posyandu_id: int
    registration_number: str
    outcome: str = Field(description="register | unchanged")


class NumberImportReport(BaseModel):
    dry_run: bool
    applied: bool = Field(description="True when the numbers were saved (never on a dry run or with errors).")
    rows: int
    registered: int = Field(description="Posyandu registered by this file (or that would be, on a dry run).")
    unchanged: int
    items: list[ImportRow]
    errors: list[ImportRowError]


class PosyanduFilters(InRegion):
    spm_field: SpmField | None = None
    status: RegistrationStatusEnum | None = None
    pilot: bool | None = None
    active: bool | None = None
    stratum: str | None = Field(None, max_length=32)
    batch_id: IdFilter = None
    q: str | None = Field(None, min_length=1, max_length=100)
