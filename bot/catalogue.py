"""The staff-edited programme catalogue: a YAML file validated before the bot starts."""

from datetime import date
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
    model_validator,
)
from typing_extensions import TypedDict

from bot.config import SUPPORTED_LOCALES
from bot.eligibility import EDUCATION_LEVELS, Rules, YesNoCheck


class CatalogueError(ValueError):
    """The catalogue file cannot be used; the message names the file, entry and field."""


def _text(max_length: int) -> Any:
    """A text in every supported language, each 1 to max_length characters."""
    line = Annotated[
        str, StringConstraints(strip_whitespace=True, min_length=1, max_length=max_length)
    ]
    return TypedDict(f"Text{max_length}", dict.fromkeys(SUPPORTED_LOCALES, line))  # type: ignore[misc]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Category(_Strict):
    code: Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]{0,15}$")]
    title: _text(40)  # type: ignore[valid-type]


class CheckEntry(_Strict):
    """A yes/no requirement, e.g. "Do you wear glasses?" for the Japan apprenticeship."""

    code: Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]{0,23}$")]
    question: _text(200)  # type: ignore[valid-type]
    disqualifying_answer: bool
    explanation: _text(300)  # type: ignore[valid-type]


class RulesEntry(_Strict):
    min_age: Annotated[int, Field(ge=0, le=100)] | None = None
    max_age: Annotated[int, Field(ge=0, le=100)] | None = None
    age_reference: date | None = None
    min_education: Literal[EDUCATION_LEVELS] | None = None  # type: ignore[valid-type]
    sex: Literal["male", "female"] | None = None
    banten_only: bool = False
    not_working: bool = False
    not_in_school: bool = False
    checks: list[CheckEntry] = Field(default_factory=list)

    @model_validator(mode="after")
    def check_ages(self) -> "RulesEntry":
        if self.min_age is not None and self.max_age is not None and self.min_age > self.max_age:
            raise ValueError("min_age is above max_age")
        return self

    def to_rules(self) -> Rules:
        checks = tuple(
            YesNoCheck(c.code, c.question, c.disqualifying_answer, c.explanation)
            for c in self.checks
        )
        return Rules(**{**self.model_dump(exclude={"checks"}), "checks": checks})


def rules_from_json(raw: dict[str, Any] | None) -> Rules:
    """The rules of a programme row, as stored by the catalogue sync."""
    return RulesEntry.model_validate(raw or {}).to_rules()


class ProgrammeEntry(_Strict):
    code: Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]{0,23}$")]
    category: str
    audience: Literal["trainee", "parent"]
    intake: Literal["open", "closed", "planned"]
    title: _text(48)  # type: ignore[valid-type]
    summary: _text(160)  # type: ignore[valid-type]
    description: _text(900)  # type: ignore[valid-type]
    duration: _text(120)  # type: ignore[valid-type]
    cost: _text(160)  # type: ignore[valid-type]
    location: _text(160)  # type: ignore[valid-type]
    requirements: _text(700)  # type: ignore[valid-type]
    confirm_note: _text(300) | None = None  # type: ignore[valid-type]
    rules: RulesEntry = Field(default_factory=RulesEntry)
    # Places in the current intake; registrations close by themselves when they are taken.
    quota: Annotated[int, Field(gt=0)] | None = None
    # The intake (angkatan) registrations count against, e.g. "2026-1".
    batch: Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_-]{1,16}$")] = "1"

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


class Catalogue(_Strict):
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
                "texts": p.texts(),
                "quota": p.quota,
                "batch": p.batch,
                "rules": p.rules.model_dump(mode="json", exclude_defaults=True),
            }
            for p in self.programmes
        ]


def load_catalogue(path: Path) -> Catalogue:
    """Read and validate the catalogue, or raise CatalogueError saying where it is wrong."""
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise CatalogueError(f"{path}: cannot be read ({error.strerror})") from error
    except yaml.YAMLError as error:
        raise CatalogueError(f"{path}: is not valid YAML: {error}") from error
    try:
        return Catalogue.model_validate(raw)
    except ValidationError as error:
        raise CatalogueError(describe_errors(path, raw, error)) from error


def describe_errors(path: Path, raw: Any, error: ValidationError) -> str:
    lines = [f"{path}: the catalogue is not valid:"]
    for problem in error.errors():
        location = list(problem["loc"])
        where = _entry_name(raw, location)
        field = ".".join(str(part) for part in location[2:]) or "-"
        lines.append(f"  - {where}, field {field}: {problem['msg']}")
    return "\n".join(lines)


def _entry_name(raw: Any, location: list[Any]) -> str:
    if len(location) >= 2 and isinstance(location[1], int):
        section, index = location[0], location[1]
        try:
            code = raw[section][index].get("code")
        except (KeyError, IndexError, TypeError, AttributeError):
            code = None
        label = f"{section} entry #{index + 1}"
        return f"{label} ({code!r})" if code else label
    return "top level"
