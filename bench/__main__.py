"""`python -m bench` (or `make bench`): every benchmark, printing ratios from one run.

`python -m bench --quick` makes the broadcast, flood and conversation benchmarks' runs smaller
(a smoke test). A benchmark that finds a problem (the broadcast's pacing off, say) says so and
the others still run; the command then exits with status 1, listing what failed."""

import sys
from collections.abc import Callable

from bench import broadcast, conversation, faq_hits, flood, startup


def run_all(argv: list[str]) -> list[str]:
    quick = [arg for arg in argv if arg == "--quick"]
    parts: list[tuple[str, Callable[[], None]]] = [
        ("faq_hits", faq_hits.main),
        ("startup", startup.main),
        ("broadcast", lambda: broadcast.main(argv)),
        ("flood", lambda: flood.main(quick)),
        ("conversation", lambda: conversation.main(quick)),
    ]
    failures = []
    for name, part in parts:
        try:
            part()
        except SystemExit as stop:
            if stop.code not in (None, 0):
                print(f"bench.{name}: {stop.code}", flush=True)
                failures.append(f"bench.{name}: {stop.code}")
        print(flush=True)
    return failures


if __name__ == "__main__":
    failed = run_all(sys.argv[1:])
    if failed:
        raise SystemExit("FAILED:\n" + "\n".join(failed))
