"""Tests of broadcasting: the console, audiences, previews, scheduling, the worker and deletion."""
