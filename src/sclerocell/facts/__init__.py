"""The long fact table every source feeds (schema, code vocabulary, units, the screening input)."""
