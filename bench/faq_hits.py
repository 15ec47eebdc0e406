"""FAQ hit rate: realistic user phrasings (bench/data/faq_tuning.yaml, written apart from the
FAQ's own question variants) against the real matcher. Prints top-1 and top-3 rates, overall
and per language, and how often the bot answered straight away with a wrong answer."""

from collections import Counter
from pathlib import Path

import yaml

from bot.content.faq import FaqIndex, is_confident, load_faq, normalise

PHRASINGS = Path(__file__).parent / "data" / "faq_tuning.yaml"


def main() -> None:
    faq = load_faq()
    index = FaqIndex(faq)
    phrasings = yaml.safe_load(PHRASINGS.read_text(encoding="utf-8"))["phrasings"]
    # A phrasing that normalises to one of the FAQ's own variants measures nothing: left out.
    variants = {normalise(v) for e in faq.entries for v in [*e.questions.id, *e.questions.en]}
    copies = [p for p in phrasings if normalise(p["text"]) in variants]
    phrasings = [p for p in phrasings if normalise(p["text"]) not in variants]
    top1, top3, confident_wrong, direct, total = (Counter() for _ in range(5))
    misses = []
    for item in phrasings:
        language = item["language"]
        matches = index.search(item["text"], limit=3)
        codes = [match.code for match in matches]
        total[language] += 1
        direct[language] += is_confident(matches)
        if codes[:1] == [item["expect"]]:
            top1[language] += 1
        elif is_confident(matches):
            confident_wrong[language] += 1
        if item["expect"] in codes:
            top3[language] += 1
        else:
            misses.append((item["text"], item["expect"], codes))
    print(
        f"FAQ hit rate over {sum(total.values())} phrasings ({len(index.faq.entries)} entries; "
        f"{len(copies)} left out as copies of FAQ variants)"
    )
    print(f"{'':8}{'n':>5}{'top-1':>9}{'top-3':>9}{'answered directly':>19}{'of which wrong':>16}")
    for language in [*sorted(total), "all"]:
        languages = list(total) if language == "all" else [language]
        n, hits1, hits3, answered, wrong = (
            sum(counter[key] for key in languages)
            for counter in (total, top1, top3, direct, confident_wrong)
        )
        print(
            f"{language:8}{n:>5}{hits1 / n:>9.1%}{hits3 / n:>9.1%}"
            f"{answered / n:>19.1%}{wrong / max(answered, 1):>16.1%}"
        )
    print("\nsome misses (text -> expected, got):")
    for text, expected, codes in misses[:8]:
        print(f"  {text!r} -> {expected}, {codes}")


if __name__ == "__main__":
    main()
