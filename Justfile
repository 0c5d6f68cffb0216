# The same commands CI runs (scripts/test.sh). `just` is optional: each recipe is one line of bash.

test *ARGS:
    bash scripts/test.sh {{ARGS}}

lint:
    .venv/bin/ruff check src tests benchmarks scripts
    .venv/bin/ruff format --check src tests benchmarks scripts

schema-check:
    .venv/bin/python -m pytest -q tests/test_schema.py
    .venv/bin/newsgold validate

run:
    bash scripts/run.sh
