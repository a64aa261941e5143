"""rasd's data side: schema, curated seed data, queries and importers. Knows nothing of Textual."""
