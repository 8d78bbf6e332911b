"""civicrpa: software robots for a Korean city hall's rule-bound administrative work."""

__version__ = "0.1.0"
