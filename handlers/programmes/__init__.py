"""The programme catalogue: browsing it, links to one programme, and inline search."""
