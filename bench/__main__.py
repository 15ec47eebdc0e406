"""`python -m bench` (or `make bench`): every benchmark, printing ratios from one run.

`python -m bench --quick` makes the broadcast, flood and conversation benchmarks' runs smaller
(a smoke test)."""

import sys

from bench import broadcast, conversation, faq_hits, flood, startup

if __name__ == "__main__":
    faq_hits.main()
    print()
    startup.main()
    print()
    broadcast.main(sys.argv[1:])
    print()
    quick = [arg for arg in sys.argv[1:] if arg == "--quick"]
    flood.main(quick)
    print()
    conversation.main(quick)
