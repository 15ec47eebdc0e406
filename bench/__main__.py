"""`python -m bench` (or `make bench`): every benchmark, printing ratios from one run."""

from bench import faq_hits, startup

if __name__ == "__main__":
    faq_hits.main()
    print()
    startup.main()
