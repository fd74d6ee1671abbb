from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel, Field, model_validator

from pembina.kit.i18n import Localised
from pembina.kit.params import NO_NUL, YearFilter, search_text
from pembina.regions.filters import AtHeldLevel
from pembina.kit.params import MAX_ID, Input, RegionCodeField
from pembina.auth.policy import ActionableRead
from pembina.regions.schemas import NationOrRegionHeldRead
from pembina.kit.provenance import SourcedRead


class CompetitionStatus(StrEnum):
    draft = "draft"
    open = "open"
    scoring = "scoring"
    final = "final"


class Criterion(Input):
    name: str = Field(min_length=1, max_length=200, examples=["Kelembagaan"])
    weight: int = Field(ge=1, le=100, description="Percent; the weights of a competition sum to 100.")


def _check_criteria(criteria: list[Criterion] | None) -> None:
    if criteria is None:
        return
    names = [c.name.strip().lower() for c in criteria]
    if len(set(names)) != len(names):
        raise Localised("criteria names must be unique", "nama kriteria harus unik")
    if criteria and sum(c.weight for c in criteria) != 100:
        raise Localised(
            "criteria weights must sum to 100 (they sum to {total})",
            "bobot kriteria harus berjumlah 100 (kini {total})",
            total=sum(c.weight for c in criteria),
        )


class CompetitionCreate(Input):
    region_code: RegionCodeField | None = Field(
        examples=["36.73"], description="The holding region; null: a national competition (national accounts only), entrants from anywhere."
    )
    title: str = Field(min_length=1, max_length=300, examples=["Lomba Posyandu Tingkat Kota Serang 2025"])
    year: int = Field(ge=2000, le=2100)
    category: str = Field(min_length=1, max_length=100, examples=["posyandu_6_spm"])
    criteria: list[Criterion] = Field(default_factory=list, max_length=50, description="Weights sum to 100.")
    notes: str | None = Field(default=None, max_length=5000)

    @model_validator(mode="after")
    def _criteria(self) -> CompetitionCreate:
        _check_criteria(self.criteria)
        return self


class CompetitionUpdate(Input):
    title: str | None = Field(default=None, min_length=1, max_length=300)
    year: int | None = Field(default=None, ge=2000, le=2100)
    category: str | None = Field(default=None, min_length=1, max_length=100)
    status: CompetitionStatus | None = Field(default=None, description="draft, open or scoring; `final` only through /finalize.")
    criteria: list[Criterion] | None = Field(
        default=None, max_length=50, description="Replaces the criteria; scores of removed criteria are dropped."
    )
    notes: str | None = Field(default=None, max_length=5000)

    @model_validator(mode="after")
    def _criteria(self) -> CompetitionUpdate:
        _check_criteria(self.criteria)
        return self


class EntrantCreate(Input):
    """Exactly one of posyandu_id (a posyandu under the competition's region) or team_id (a team under it)."""

    posyandu_id: int | None = Field(default=None, ge=1, le=MAX_ID)
    team_id: int | None = Field(default=None, ge=1, le=MAX_ID)

    @model_validator(mode="after")
    def _one(self) -> EntrantCreate:
        if (self.posyandu_id is None) == (self.team_id is None):
            raise Localised("give exactly one of posyandu_id or team_id", "isi tepat satu dari posyandu_id atau team_id")
        return self


class ScoreEntry(Input):
    entrant_id: int = Field(ge=1, le=MAX_ID)
    criterion: str = Field(min_length=1, max_length=200)
    score: int | None = Field(ge=0, le=100, description="0–100; null clears the score.")


class ScoresSet(Input):
    scores: list[ScoreEntry] = Field(min_length=1, max_length=5000)


class Prize(Input):
    rank: int = Field(ge=1, le=1000)
    prize: str = Field(min_length=1, max_length=300, examples=["Juara I: piala dan uang pembinaan"])


class FinalizeRequest(Input):
    prizes: list[Prize] = Field(default_factory=list, max_length=100, description="Prizes by rank (each rank at most once).")

    @model_validator(mode="after")
    def _unique(self) -> FinalizeRequest:
        ranks = [p.rank for p in self.prizes]
        if len(set(ranks)) != len(ranks):
            raise Localised("each rank gets at most one prize", "setiap peringkat paling banyak mendapat satu hadiah")
        return self


class CriterionRead(BaseModel):
    name: str
    weight: int


class PrizeRead(BaseModel):
    rank: int
    prize: str


class EntrantRead(BaseModel):
    id: int
    posyandu_id: int | None
    team_id: int | None
    name: str
    region_code: str = Field(description="The entrant's own region.")
    scores: dict[str, int] = Field(description="Score per criterion name (0–100).")
    total: float = Field(description="Weighted total: Σ score × weight / 100 (missing scores count 0).")
    complete: bool = Field(description="Scored on every criterion.")
    final_rank: int | None


class _Competition(NationOrRegionHeldRead):
    title: str
    year: int
    category: str
    status: CompetitionStatus
    criteria: list[CriterionRead]
    prizes: list[PrizeRead]
    notes: str | None
    entrant_count: int
    finalized_at: datetime | None


class CompetitionRead(ActionableRead, SourcedRead, _Competition):
    pass


class CompetitionDetail(CompetitionRead):
    entrants: list[EntrantRead]


class RankingRow(BaseModel):
    rank: int
    entrant: EntrantRead
    prize: str | None = Field(description="The prize for this rank, once finalized.")


class Ranking(BaseModel):
    competition_id: int
    status: CompetitionStatus
    final: bool = Field(description="True once finalized: the ranks are the recorded result.")
    rows: list[RankingRow] = Field(description="By weighted total (highest first); ties by name, then id.")


class CompetitionFilters(AtHeldLevel):
    year: YearFilter = None
    category: str | None = Field(None, min_length=1, max_length=100, pattern=NO_NUL)
    status: CompetitionStatus | None = None
    q: str | None = search_text("Search the title.")
