"""Cross-cutting building blocks under every domain: the database session and base, problems, region scope, paging, parameters, versions, the route class, tabular files (written, and CSV read: csvfile), stored uploads (files).

The kit imports nothing from the domains (import-linter checks it: `make lint-backend`).
"""
