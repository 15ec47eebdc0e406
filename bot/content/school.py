"""Sekolah Rakyat texts for parents: staff-edited sections and the questions parents ask."""

from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, StringConstraints, model_validator

from bot.config import CONTENT_DIR
from bot.content import files as cf

DEFAULT_SCHOOL_CONTENT = CONTENT_DIR / "sekolah_rakyat.yaml"
Code = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]{0,23}$")]


class SchoolContentError(cf.ContentError):
    pass


class Section(cf.Strict):
    code: Code
    title: cf.text(32)  # type: ignore[valid-type]
    text: cf.text(1000)  # type: ignore[valid-type]
    confirm_note: cf.text(250) | None = None  # type: ignore[valid-type]


class ParentQuestion(cf.Strict):
    code: Code
    question: cf.text(48)  # type: ignore[valid-type]
    answer: cf.text(800)  # type: ignore[valid-type]
    confirm_note: cf.text(250) | None = None  # type: ignore[valid-type]


class SchoolContent(cf.Strict):
    version: Literal[1]
    sections: list[Section] = Field(min_length=1)
    questions: list[ParentQuestion] = Field(min_length=1)

    @model_validator(mode="after")
    def check_codes(self) -> "SchoolContent":
        codes = [item.code for item in [*self.sections, *self.questions]]
        if len(set(codes)) != len(codes):
            raise ValueError("two sections or questions share a code")
        return self

    def section(self, code: str) -> Section | None:
        return next((s for s in self.sections if s.code == code), None)

    def question(self, code: str) -> ParentQuestion | None:
        return next((q for q in self.questions if q.code == code), None)


def load_school_content(path: Path = DEFAULT_SCHOOL_CONTENT) -> SchoolContent:
    return cf.load_content(path, SchoolContent, SchoolContentError)
