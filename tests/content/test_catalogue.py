"""The staff-edited catalogue: the shipped one is valid, and a broken one stops start-up."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from bot.config import DEFAULT_CATALOGUE
from bot.content.catalogue import CatalogueError, load_catalogue

ROOT = Path(__file__).resolve().parents[2]


def test_the_shipped_catalogue_covers_every_kind_of_programme() -> None:
    catalogue = load_catalogue(DEFAULT_CATALOGUE)
    categories = {programme.category for programme in catalogue.programmes}
    assert categories == {"courses", "pbl", "agro", "abroad", "smk", "school"}
    codes = {programme.code for programme in catalogue.programmes}
    assert {
        "welding",
        "electrical",
        "japan_apprenticeship",
        "korea_eps",
        "agroforestry",
        "smk_internship",
        "sekolah_rakyat_serang",
    } <= codes
    assert next(p for p in catalogue.programmes if p.code == "smk_internship").intake == "planned"


def write_catalogue(tmp_path: Path, mutate) -> Path:  # noqa: ANN001
    raw = yaml.safe_load(DEFAULT_CATALOGUE.read_text(encoding="utf-8"))
    mutate(raw)
    path = tmp_path / "programmes.yaml"
    path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    return path


def test_a_missing_translation_is_reported_with_file_entry_and_field(tmp_path: Path) -> None:
    path = write_catalogue(tmp_path, lambda raw: raw["programmes"][1]["title"].pop("en"))
    with pytest.raises(CatalogueError) as error:
        load_catalogue(path)
    message = str(error.value)
    assert str(path) in message
    assert "programmes entry #2 ('electrical')" in message
    assert "field title" in message


def test_an_unknown_category_and_a_bad_intake_are_reported(tmp_path: Path) -> None:
    def mutate(raw: dict) -> None:
        raw["programmes"][0]["intake"] = "soon"
        raw["programmes"][2]["category"] = "cooking"

    path = write_catalogue(tmp_path, mutate)
    with pytest.raises(CatalogueError) as error:
        load_catalogue(path)
    assert "programmes entry #1 ('welding'), field intake" in str(error.value)


def test_a_text_over_its_limit_is_reported(tmp_path: Path) -> None:
    path = write_catalogue(
        tmp_path, lambda raw: raw["programmes"][0]["summary"].update(id="panjang " * 40)
    )
    with pytest.raises(CatalogueError, match=r"field summary\.id: String should have at most"):
        load_catalogue(path)


def test_broken_yaml_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "programmes.yaml"
    path.write_text("version: 1\ncategories: [\n", encoding="utf-8")
    with pytest.raises(CatalogueError, match="is not valid YAML"):
        load_catalogue(path)


def run_cli(*args: str, env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    environment = {key: value for key, value in os.environ.items() if key != "BOT_TOKEN"}
    environment.update(env, PYTHONPATH=str(ROOT))
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        env=environment,
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_start_up_stops_on_a_broken_catalogue_and_says_where(tmp_path: Path) -> None:
    path = write_catalogue(tmp_path, lambda raw: raw["programmes"][1]["title"].pop("en"))
    result = run_cli("run", env={"CATALOGUE_PATH": str(path), "BOT_TOKEN": "1:x"}, cwd=tmp_path)
    assert result.returncode == 1
    assert "programmes entry #2 ('electrical'), field title" in result.stderr


def test_start_up_without_a_token_says_how_to_get_one(tmp_path: Path) -> None:
    database = f"sqlite+aiosqlite:///{tmp_path / 'vokasi.db'}"
    result = run_cli("run", env={"DATABASE_URL": database}, cwd=tmp_path)
    assert result.returncode == 2
    assert "@BotFather" in result.stderr
    assert "make shell" in result.stderr


@pytest.mark.parametrize("batch", ["-", "_", "-1", "2026 1", "a" * 17, ""])
def test_a_batch_must_start_with_a_letter_or_digit(tmp_path: Path, batch: str) -> None:
    """ "-" would read as "any intake" in the review filter, so no batch may be "-"."""
    path = write_catalogue(tmp_path, lambda raw: raw["programmes"][0].update(batch=batch))
    with pytest.raises(CatalogueError) as error:
        load_catalogue(path)
    message = str(error.value)
    assert "programmes entry #1 ('welding'), field batch" in message
    assert "starting with a letter or a digit, e.g. 2026-1" in message


@pytest.mark.parametrize("batch", ["1", "2026-1", "2026_B", "A" * 16])
def test_ordinary_batches_are_accepted(tmp_path: Path, batch: str) -> None:
    path = write_catalogue(tmp_path, lambda raw: raw["programmes"][0].update(batch=batch))
    assert load_catalogue(path).programmes[0].batch == batch


def test_the_shipped_documents_start_with_the_ktp_and_stay_within_telegrams_limit() -> None:
    catalogue = load_catalogue(DEFAULT_CATALOGUE)
    welding = next(p for p in catalogue.programmes if p.code == "welding")
    assert [(d.code, d.required) for d in welding.documents] == [
        ("ktp", True),
        ("ijazah", True),
        ("pas_foto", True),
        ("surat_sehat", False),
    ]
    assert all(d.max_mb <= 20 for p in catalogue.programmes for d in p.documents)


@pytest.mark.parametrize(
    ("change", "error"),
    [
        ({"accepts": ["photo", "docx"]}, r"documents\.0\.accepts\.1: Input should be 'photo'"),
        ({"accepts": []}, r"documents\.0\.accepts: List should have at least 1 item"),
        ({"accepts": ["pdf", "pdf"]}, "a kind is named twice"),
        ({"max_mb": 25}, r"documents\.0\.max_mb: Input should be less than or equal to 20"),
        ({"title": {"id": "KTP"}}, r"documents\.0\.title\.en: Field required"),
        ({"code": "ijazah"}, "two documents share a code"),
    ],
)
def test_a_wrong_document_is_reported(tmp_path: Path, change: dict, error: str) -> None:
    path = write_catalogue(
        tmp_path, lambda raw: raw["programmes"][0]["documents"][0].update(change)
    )
    with pytest.raises(CatalogueError, match=error):
        load_catalogue(path)
