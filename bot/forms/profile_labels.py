"""How a person's answers are shown: labels for education, activity, sex and home regency."""

from bot.forms.eligibility import BANTEN_REGENCIES, OUTSIDE_BANTEN
from bot.i18n import N_, Translator

EDUCATION_LABELS = {
    "none": N_("Did not finish SD"),
    "sd": N_("SD"),
    "smp": N_("SMP / MTs"),
    "sma": N_("SMA / SMK / MA"),
    "diploma": N_("Diploma (D1–D4)"),
    "bachelor": N_("S1 or higher"),
}
ACTIVITY_LABELS = {
    "working": N_("💼 Working"),
    "studying": N_("🎓 In school or college"),
    "seeking": N_("🔎 Looking for work"),
    "other": N_("Something else"),
}
SEX_LABELS = {"male": N_("👨 Male"), "female": N_("👩 Female")}
SENIOR_SCHOOL_LABELS = {"smk": N_("Technical SMK"), "sma": N_("SMA, MA or another SMK")}
OUTSIDE_BANTEN_LABEL = N_("Outside Banten")


def regency_label(translator: Translator, code: str) -> str:
    if code == OUTSIDE_BANTEN:
        return translator.gettext(OUTSIDE_BANTEN_LABEL)
    return BANTEN_REGENCIES.get(code, code)


def answer_label(translator: Translator, question: str, value: object) -> str:
    """A stored answer as the person would recognise it."""
    labels = {
        "education": EDUCATION_LABELS,
        "senior_school": SENIOR_SCHOOL_LABELS,
        "activity": ACTIVITY_LABELS,
        "sex": SEX_LABELS,
    }
    if question in labels and isinstance(value, str) and value in labels[question]:
        return translator.gettext(labels[question][value])
    if question == "regency" and isinstance(value, str):
        return regency_label(translator, value)
    if question == "birth_date" and hasattr(value, "year"):
        return translator.format_date(value)  # type: ignore[arg-type]
    if isinstance(value, bool):
        return translator.gettext("Yes") if value else translator.gettext("No")
    return str(value)
