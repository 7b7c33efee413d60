"""Plans area: the reform plan (themes, sub-items, responsible units), its reporting rounds, its spreadsheet,
and the agency assessment's scores and level bands."""
