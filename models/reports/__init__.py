"""Read-only reports: summary, digest, details, lateness, attention, catalog and the data of
exports. Nothing here writes."""
