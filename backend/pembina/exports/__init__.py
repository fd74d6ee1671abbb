"""Exports: every list as XLSX/CSV, formatted XLSX reports, a printable PDF region summary."""
