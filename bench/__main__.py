"""`python -m bench` (or `make bench`): every benchmark, printing ratios from one run.

`python -m bench --quick` makes the broadcast benchmark's runs smaller (a smoke test)."""

import sys

from bench import broadcast, faq_hits, startup

if __name__ == "__main__":
    faq_hits.main()
    print()
    startup.main()
    print()
    broadcast.main(sys.argv[1:])
