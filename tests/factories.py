"""Builders for test data: catalogues and settings variants."""

from pathlib import Path
from typing import Any

import yaml

from bot.config import DEFAULT_CATALOGUE, Settings


def both(text: str) -> dict[str, str]:
    return {"id": f"{text} (id)", "en": f"{text} (en)"}


def programme_entry(code: str, category: str, **overrides: Any) -> dict[str, Any]:
    entry = {
        "code": code,
        "category": category,
        "audience": "trainee",
        "intake": "open",
        "title": both(f"Course {code}"),
        "summary": both("Summary"),
        "description": both("Description"),
        "duration": both("1 month"),
        "cost": both("Free"),
        "location": both("Serang"),
        "requirements": both("Age 17+"),
    }
    entry.update(overrides)
    return entry


def write_catalogue(path: Path, categories: list[str], programmes: list[dict[str, Any]]) -> Path:
    raw = {
        "version": 1,
        "categories": [{"code": code, "title": both(f"Category {code}")} for code in categories],
        "programmes": programmes,
    }
    path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    return path


def shipped_catalogue_raw() -> dict[str, Any]:
    return yaml.safe_load(DEFAULT_CATALOGUE.read_text(encoding="utf-8"))


def with_catalogue(settings: Settings, path: Path) -> Settings:
    return settings.model_copy(update={"catalogue_path": path})
