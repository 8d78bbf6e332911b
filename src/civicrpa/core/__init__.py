"""Pure building blocks shared by every layer: errors, messages, time. No I/O here."""
