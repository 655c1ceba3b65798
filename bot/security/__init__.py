"""Who may read what: secrets kept in var/, signed session ids, rate limits, encryption at rest."""
