"""The region summary: counts of every domain for a region and its subtree (or the nation).

It sits above the domains (it reads their counters), so no domain imports it.
"""
