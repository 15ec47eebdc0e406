"""Tests of talking to a person: relaying, blocks and edits."""
