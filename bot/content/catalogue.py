"""The staff-edited programme catalogue: a YAML file validated before the bot starts."""

import re
from datetime import date
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (
    Field,
    StringConstraints,
    field_validator,
    model_validator,
)

from bot.content.files import ContentError, Strict, load_content, text
from bot.forms.eligibility import (
    EDUCATION_LEVELS,
    SENIOR_SCHOOLS,
    Age,
    AgeBand,
    Rules,
    YesNoCheck,
)


class CatalogueError(ContentError):
    """The catalogue file cannot be used; the message names the file, entry and field."""


class Category(Strict):
    code: Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]{0,15}$")]
    title: text(40)  # type: ignore[valid-type]


class CheckEntry(Strict):
    """A yes/no requirement, e.g. "Do you wear glasses?" for the Japan apprenticeship."""

    code: Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]{0,23}$")]
    question: text(200)  # type: ignore[valid-type]
    disqualifying_answer: bool
    explanation: text(300)  # type: ignore[valid-type]


class AgeEntry(Strict):
    """An age with months, written `{years: 18, months: 6}`; a plain number is whole years."""

    years: Annotated[int, Field(ge=0, le=100)]
    months: Annotated[int, Field(ge=0, le=11)] = 0


AgeLimit = Annotated[int, Field(ge=0, le=100)] | AgeEntry


def to_age(limit: AgeLimit | None) -> Age | None:
    if limit is None:
        return None
    if isinstance(limit, int):
        return Age(limit)
    return Age(limit.years, limit.months)


class AgeBandEntry(Strict):
    min_age: AgeLimit | None = None
    max_age: AgeLimit | None = None

    @model_validator(mode="after")
    def check_ages(self) -> "AgeBandEntry":
        low, high = to_age(self.min_age), to_age(self.max_age)
        if low is not None and high is not None and low.in_months > high.last_month:
            raise ValueError("min_age is above max_age")
        return self

    def to_band(self) -> AgeBand:
        return AgeBand(to_age(self.min_age), to_age(self.max_age))


class RulesEntry(AgeBandEntry):
    # The selection test day of the current intake, when known: ages are counted on it.
    age_reference: date | None = None
    # Other ages for SMK or SMA/MA graduates; the bot then asks which school was finished.
    school_ages: dict[Literal[SENIOR_SCHOOLS], AgeBandEntry] = Field(  # type: ignore[valid-type]
        default_factory=dict
    )
    min_education: Literal[EDUCATION_LEVELS] | None = None  # type: ignore[valid-type]
    sex: Literal["male", "female"] | None = None
    # What to tell someone of the other sex instead of "takes men only", e.g. another track.
    sex_explanation: text(400) | None = None  # type: ignore[valid-type]
    banten_only: bool = False
    not_working: bool = False
    not_in_school: bool = False
    checks: list[CheckEntry] = Field(default_factory=list)

    def to_rules(self) -> Rules:
        checks = tuple(
            YesNoCheck(c.code, c.question, c.disqualifying_answer, c.explanation)
            for c in self.checks
        )
        band = self.to_band()
        return Rules(
            min_age=band.minimum,
            max_age=band.maximum,
            age_reference=self.age_reference,
            school_ages=tuple(
                (school, entry.to_band()) for school, entry in self.school_ages.items()
            ),
            min_education=self.min_education,
            sex=self.sex,
            sex_explanation=self.sex_explanation,
            banten_only=self.banten_only,
            not_working=self.not_working,
            not_in_school=self.not_in_school,
            checks=checks,
        )


def rules_from_json(raw: dict[str, Any] | None) -> Rules:
    """The rules of a programme row, as stored by the catalogue sync."""
    return RulesEntry.model_validate(raw or {}).to_rules()


# Telegram lets a bot download files of at most 20 MB (Bot API getFile), so staff could not
# open a larger one from the bot.
TELEGRAM_DOWNLOAD_LIMIT_MB = 20


class DocumentEntry(Strict):
    """A document the applicant sends after the form, e.g. the KTP as a photo or a PDF."""

    code: Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]{0,15}$")]
    title: text(40)  # type: ignore[valid-type]
    accepts: list[Literal["photo", "pdf"]] = Field(min_length=1, max_length=2)
    required: bool = True
    max_mb: Annotated[float, Field(gt=0, le=TELEGRAM_DOWNLOAD_LIMIT_MB)] = 2

    @field_validator("accepts")
    @classmethod
    def check_accepts(cls, accepts: list[str]) -> list[str]:
        if len(set(accepts)) != len(accepts):
            raise ValueError("a kind is named twice in accepts")
        return accepts


BATCH = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,15}")


class ProgrammeEntry(Strict):
    code: Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]{0,23}$")]
    category: str
    audience: Literal["trainee", "parent"]
    intake: Literal["open", "closed", "planned"]
    # True once the centre has confirmed the intake state; until then the bot says "not
    # confirmed" in the list and on the card. Staff setting the intake with /intake confirms it.
    intake_confirmed: bool = False
    title: text(48)  # type: ignore[valid-type]
    summary: text(160)  # type: ignore[valid-type]
    description: text(900)  # type: ignore[valid-type]
    duration: text(120)  # type: ignore[valid-type]
    cost: text(160)  # type: ignore[valid-type]
    location: text(160)  # type: ignore[valid-type]
    requirements: text(700)  # type: ignore[valid-type]
    confirm_note: text(300) | None = None  # type: ignore[valid-type]
    rules: RulesEntry = Field(default_factory=RulesEntry)
    # Places in the current intake; registrations close by themselves when they are taken.
    quota: Annotated[int, Field(gt=0)] | None = None
    # The intake (angkatan) registrations count against, e.g. "2026-1". It starts with a letter
    # or digit: "-" alone means "any intake" in the staff's review filter.
    batch: str = "1"
    # The registration period in the centre's calendar (WIB), both days included. A "planned"
    # intake opens by itself on opens_on; an open one closes by itself after closes_on.
    opens_on: date | None = None
    closes_on: date | None = None
    # What the applicant sends after the form, asked one by one in this order.
    documents: list[DocumentEntry] = Field(default_factory=list, max_length=8)

    @field_validator("documents")
    @classmethod
    def check_document_codes(cls, documents: list[DocumentEntry]) -> list[DocumentEntry]:
        codes = [document.code for document in documents]
        if len(set(codes)) != len(codes):
            raise ValueError("two documents share a code")
        return documents

    @field_validator("batch")
    @classmethod
    def check_batch(cls, batch: str) -> str:
        if not BATCH.fullmatch(batch):
            raise ValueError(
                "a batch is 1 to 16 letters, digits, '-' or '_', starting with a letter or a "
                "digit, e.g. 2026-1"
            )
        return batch

    @model_validator(mode="after")
    def check_dates(self) -> "ProgrammeEntry":
        if (
            self.opens_on is not None
            and self.closes_on is not None
            and self.closes_on < self.opens_on
        ):
            raise ValueError("closes_on is before opens_on")
        return self

    def texts(self) -> dict[str, dict[str, str]]:
        fields = (
            "title",
            "summary",
            "description",
            "duration",
            "cost",
            "location",
            "requirements",
            "confirm_note",
        )
        return {name: getattr(self, name) for name in fields if getattr(self, name) is not None}


class Catalogue(Strict):
    version: Literal[1]
    categories: list[Category] = Field(min_length=1)
    programmes: list[ProgrammeEntry] = Field(min_length=1)

    @model_validator(mode="after")
    def check_references(self) -> "Catalogue":
        category_codes = [category.code for category in self.categories]
        if len(set(category_codes)) != len(category_codes):
            raise ValueError("two categories share a code")
        seen: set[str] = set()
        checks: dict[str, CheckEntry] = {}
        for programme in self.programmes:
            for check in programme.rules.checks:
                earlier = checks.setdefault(check.code, check)
                if (earlier.question, earlier.disqualifying_answer) != (
                    check.question,
                    check.disqualifying_answer,
                ):
                    raise ValueError(
                        f"check {check.code!r} is asked differently in {programme.code!r}; "
                        "a shared check must have the same question and answer everywhere"
                    )
            if programme.code in seen:
                raise ValueError(f"programme code {programme.code!r} is used twice")
            seen.add(programme.code)
            if programme.category not in category_codes:
                raise ValueError(
                    f"programme {programme.code!r} names an unknown category "
                    f"{programme.category!r}"
                )
        return self

    def category_rows(self) -> list[dict[str, Any]]:
        return [{"code": c.code, "texts": {"title": c.title}} for c in self.categories]

    def programme_rows(self) -> list[dict[str, Any]]:
        return [
            {
                "code": p.code,
                "category": p.category,
                "audience": p.audience,
                "intake": p.intake,
                "intake_confirmed": p.intake_confirmed,
                "texts": p.texts(),
                "quota": p.quota,
                "batch": p.batch,
                "opens_on": p.opens_on,
                "closes_on": p.closes_on,
                "rules": p.rules.model_dump(mode="json", exclude_defaults=True),
                "documents": [d.model_dump(mode="json") for d in p.documents],
            }
            for p in self.programmes
        ]


def load_catalogue(path: Path) -> Catalogue:
    """Read and validate the catalogue, or raise CatalogueError saying where it is wrong."""
    return load_content(path, Catalogue, CatalogueError)
