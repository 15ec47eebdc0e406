"""Staff-edited YAML content (catalogue, FAQ, Sekolah Rakyat): read, validate, and say exactly
where a file is wrong, naming the file, the entry and the field."""

from pathlib import Path
from typing import Annotated, Any, TypeVar

import yaml
from pydantic import BaseModel, ConfigDict, StringConstraints, ValidationError
from typing_extensions import TypedDict

from bot.config import SUPPORTED_LOCALES

Model = TypeVar("Model", bound=BaseModel)


class ContentError(ValueError):
    """A content file cannot be used; the message names the file, entry and field."""


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def text(max_length: int) -> Any:
    """A text in every supported language, each 1 to max_length characters."""
    line = Annotated[
        str, StringConstraints(strip_whitespace=True, min_length=1, max_length=max_length)
    ]
    return TypedDict(f"Text{max_length}", dict.fromkeys(SUPPORTED_LOCALES, line))  # type: ignore[misc]


def load_content(
    path: Path, model: type[Model], error: type[ContentError] = ContentError
) -> Model:
    """Read and validate one content file, or raise `error` saying where it is wrong."""
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as problem:
        raise error(f"{path}: cannot be read ({problem.strerror})") from problem
    except UnicodeDecodeError as problem:
        line = problem.object[: problem.start].count(b"\n") + 1
        raise error(f"{path}: is not UTF-8 text (line {line}): save it as UTF-8") from problem
    except yaml.YAMLError as problem:
        raise error(f"{path}: is not valid YAML: {problem}") from problem
    try:
        return model.model_validate(raw)
    except ValidationError as problem:
        raise error(describe_errors(path, raw, problem)) from problem


def describe_errors(path: Path, raw: Any, error: ValidationError) -> str:
    lines = [f"{path}: the file is not valid:"]
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
