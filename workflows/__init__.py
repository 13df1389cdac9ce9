"""The pure complaint core: rules that take state, an event and a clock and return decisions.

Nothing in this package performs I/O, talks to a database, renders a template or awaits: a test
(tests/workflows/test_purity.py) keeps it that way.
"""
