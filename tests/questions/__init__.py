"""Tests of typed questions and the FAQ's answers."""
