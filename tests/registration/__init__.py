"""Tests of registering, from consent to the code and what comes after."""
