"""The unanswered-questions desk's rules: grouping similar questions, layering staff's FAQ
additions over the file (and exporting them in its form), and swapping the rebuilt FAQ in.
No `telegram`; only live_faq.py reads the database."""
