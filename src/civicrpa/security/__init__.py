"""Safeguards: personal-data masking (and, as they land, encryption, roles, audit)."""
