"""A small example process (no browser): check an application's documents and age."""

from civicrpa.processes.sample import messages  # noqa: F401 - its texts, merged on import
