"""Staff commands that only read (`cases list`, `cases show`, `cases inbox`), answered quickly.

A staff command used to spend half a second importing SQLAlchemy and pydantic before its 2 ms
query. These read the same settings, the same tables and the same templates with the standard
library's sqlite3 (or asyncpg on PostgreSQL) and Jinja2 alone. Whatever they are not sure of
(an unusual setting or argument, a database not at the newest schema, no database) they leave
to the full command, which answers it as before: ``answer`` then returns None.
"""
