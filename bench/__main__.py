"""`python -m bench` (or `make bench`): every benchmark, printing ratios from one run."""

from bench import startup

if __name__ == "__main__":
    startup.main()
