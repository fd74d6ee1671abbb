from __future__ import annotations

from datetime import date

from pydantic import BaseModel, ConfigDict, Field, model_validator

from pembina.kit.i18n import Localised
from pembina.auth.policy import ActionableRead
from pembina.posyandu.catalog import SpmField
from pembina.kit.params import IdField, IdFilter, IsoDate
from pembina.kit.provenance import SourcedRead
from pembina.regions.filters import InRegion


class PilotPeriod(InRegion):
    """The pilot sites a comparison covers: a region's subtree and a date or year in their period."""

    active_on: IsoDate | None = Field(None, description="Pilots whose period includes this date (YYYY-MM-DD).")
    year: int | None = Field(None, ge=2000, le=2100, description="Pilots whose period overlaps this year.")


class PilotFilters(PilotPeriod):
    """... and, for the list, one posyandu or a name."""

    posyandu_id: IdFilter = None
    q: str | None = Field(None, min_length=1, max_length=100, description="Search the posyandu name.")


class Score(BaseModel):
    """One SPM field of a pilot's scorecard. Scores are 0–100, or null when not (yet) assessed."""

    model_config = ConfigDict(extra="forbid")

    baseline_score: int | None = Field(default=None, ge=0, le=100)
    current_score: int | None = Field(default=None, ge=0, le=100)
    evidence: str | None = Field(default=None, max_length=5000, description="Evidence notes for the scores.")


class PilotSiteCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    posyandu_id: IdField
    start_date: date
    end_date: date | None = None
    scorecard: dict[SpmField, Score] = Field(default_factory=dict, description="Per SPM field; fields left out are unscored.")
    good_practices: str | None = Field(default=None, max_length=20_000, description="Notes of good practice (praktik baik).")
    notes: str | None = Field(default=None, max_length=5000)

    @model_validator(mode="after")
    def _period(self) -> PilotSiteCreate:
        if self.end_date is not None and self.end_date < self.start_date:
            raise Localised("end_date is before start_date", "end_date sebelum start_date")
        return self


class PilotSiteUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    start_date: date | None = None
    end_date: date | None = None
    scorecard: dict[SpmField, Score] | None = Field(default=None, description="Fields given replace those fields; others are kept.")
    good_practices: str | None = Field(default=None, max_length=20_000)
    notes: str | None = Field(default=None, max_length=5000)


class ScoreRead(BaseModel):
    baseline_score: int | None
    current_score: int | None
    change: int | None = Field(description="current − baseline, when both are known.")
    evidence: str | None


class _PilotSite(BaseModel):
    id: int
    posyandu_id: int
    posyandu_name: str
    region_code: str
    village_name: str
    start_date: date
    end_date: date | None
    scorecard: dict[SpmField, ScoreRead] = Field(description="Every SPM field, scored or not.")
    good_practices: str | None
    notes: str | None


class PilotSiteRead(ActionableRead, SourcedRead, _PilotSite):
    pass


class FieldComparison(BaseModel):
    pilots_scored: int = Field(description="Pilots with a current score in this field.")
    baseline_average: float | None
    current_average: float | None
    best_pilot_id: int | None = Field(description="The pilot with the highest current score.")


class PilotComparisonRow(BaseModel):
    pilot_site_id: int
    posyandu_id: int
    posyandu_name: str
    region_code: str
    village_name: str
    start_date: date
    end_date: date | None
    scores: dict[SpmField, ScoreRead]


class PilotComparison(BaseModel):
    region_code: str | None
    fields: list[SpmField]
    pilots: list[PilotComparisonRow]
    by_field: dict[SpmField, FieldComparison]
