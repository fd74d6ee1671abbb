"""Cross-cutting building blocks under every domain: the database session and base, problems, region scope, paging, parameters, versions, the route class, tabular files (written, and CSV read: csvfile), stored uploads (files), the one clock of "today" (clock).

The kit imports nothing from the domains (import-linter checks it: `make lint-backend`).
"""
