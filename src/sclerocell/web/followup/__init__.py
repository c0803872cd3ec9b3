"""Follow-up after the infusion: visits and their calendar, outcome forms with their life cycle,
data-quality checks and queries, and the response to treatment per visit and per patient."""
