"""What the bot says must be true: checks on the shipped content that run in CI (issue 16).

- An intake shown as open either is confirmed or carries a note to confirm it with the centre.
- Every age an eligibility rule enforces is written in the programme's requirements, in both
  languages, so the check never turns someone away on a number the card does not show.
- No content file names a folder of the machine it was written on.
"""

import re
from pathlib import Path

import pytest

from bot.config import DEFAULT_CATALOGUE
from bot.content.catalogue import AgeBandEntry, ProgrammeEntry, load_catalogue, to_age
from bot.forms.eligibility import Age

ROOT = Path(__file__).resolve().parents[2]
CONTENT_FILES = sorted(
    [*(ROOT / "bot" / "content").glob("*.yaml"), *(ROOT / "bench").rglob("*.yaml")]
)
# A path that starts at a root or a home folder, after a space, a quote, a bracket or a line
# start: /work/shared/x, /home/ana/x, ~/x, C:\x. URLs (host/path) and ../shared/x are fine.
MACHINE_PATH = re.compile(r"""(?:^|[\s"'(=])(?:/[\w.-]+/[\w.-]+|~/|[A-Za-z]:\\)""")
MONTHS = {"id": "{n} bulan", "en": "{n} months"}
PROGRAMMES = load_catalogue(DEFAULT_CATALOGUE).programmes


def bands(programme: ProgrammeEntry) -> list[AgeBandEntry]:
    return [programme.rules, *programme.rules.school_ages.values()]


def age_words_missing(requirements: str, language: str, band: AgeBandEntry) -> list[str]:
    missing = []
    for limit in (band.min_age, band.max_age):
        age = to_age(limit)
        if age is None:
            continue
        if not re.search(rf"(?<!\d){age.years}(?!\d)", requirements):
            missing.append(f"{age.years} years")
        if age.months and MONTHS[language].format(n=age.months) not in requirements:
            missing.append(MONTHS[language].format(n=age.months))
    return missing


@pytest.mark.parametrize("programme", PROGRAMMES, ids=lambda p: p.code)
def test_an_open_intake_is_confirmed_or_says_to_confirm_it(programme: ProgrammeEntry) -> None:
    if programme.intake == "open":
        assert programme.intake_confirmed or programme.confirm_note, (
            f"{programme.code} is open on no confirmed source: add a confirm_note or set "
            "intake_confirmed once the centre confirms"
        )


@pytest.mark.parametrize("programme", PROGRAMMES, ids=lambda p: p.code)
@pytest.mark.parametrize("language", ["id", "en"])
def test_every_age_in_the_rules_is_in_the_requirements(
    programme: ProgrammeEntry, language: str
) -> None:
    requirements = programme.requirements[language]
    missing = [
        m for band in bands(programme) for m in age_words_missing(requirements, language, band)
    ]
    assert missing == [], f"{programme.code} ({language}) requirements never say {missing}"


def test_the_japan_rules_keep_the_sources_ages() -> None:
    """../shared/domain.md, Japan: SMK (technical) 18-26, SMA 18 years 6 months to 26."""
    japan = next(p for p in PROGRAMMES if p.code == "japan_apprenticeship")
    smk, sma = japan.rules.school_ages["smk"], japan.rules.school_ages["sma"]
    assert (to_age(smk.min_age), to_age(smk.max_age)) == (Age(18), Age(26))
    assert (to_age(sma.min_age), to_age(sma.max_age)) == (Age(18, 6), Age(26))


def test_the_age_check_catches_a_missing_number() -> None:
    band = AgeBandEntry(min_age={"years": 18, "months": 6}, max_age=26)
    assert age_words_missing("Usia 18 sampai 26 tahun.", "id", band) == ["6 bulan"]
    assert age_words_missing("Aged 18 years 6 months to 26.", "en", band) == []
    assert age_words_missing("Aged 180 to 260.", "en", band) == [
        "18 years",
        "6 months",
        "26 years",
    ]


@pytest.mark.parametrize("path", CONTENT_FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_content_file_names_a_folder_of_this_machine(path: Path) -> None:
    hits = [
        f"line {number}: {line.strip()}"
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if MACHINE_PATH.search(line)
    ]
    assert hits == [], "refer to the shared folder as ../shared/domain.md"


def test_the_machine_path_check_catches_what_it_should() -> None:
    assert MACHINE_PATH.search("# Sources: /work/shared/domain.md (facts)")
    assert MACHINE_PATH.search('  note: "see ~/notes"')
    assert not MACHINE_PATH.search("# Sources: ../shared/domain.md")
    assert not MACHINE_PATH.search("Daftar di skillhub.kemnaker.go.id/pelatihan/cari")
    assert not MACHINE_PATH.search("https://banten.antaranews.com/berita/365278/")
