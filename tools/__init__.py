"""Staff commands for keeping the assistant's content current (see STAFF_GUIDE.md).

One module per command: check, evaluate, review, import_review, purge, publish, model_server.
The other modules are the pieces they share (project loading, scoring, the publishing gate...).
Run them from the project root with the project's Python, e.g. `.venv/bin/python -m tools.check`,
or through the Makefile (`make check`, `make evaluate`, ...).
"""
