"""Staff commands for keeping the assistant's content current (see STAFF_GUIDE.md).

Commands (run through the Makefile, or `.venv/bin/python -m tools.<command>` from the project root):
  check          `make check`: Rasa's validation plus the content checks in tools/checks/
  evaluate       `make evaluate`: held-out test + cross-validation, report with pictures
  review         `make review`: missed messages, personal details masked, to a CSV
  import_review  `make import-review FILE=...`: labelled rows into the training data
  purge          `make purge`: conversations older than RETENTION_DAYS
  publish        `make publish` / `make rollback` / `make published`
  situations     held-out whole messages sent to a running server, whole replies scored per group
                 (also used by tests/e2e)
  masking_score  how well the review masking hides details, on a labelled set of messages
  audit          `make audit`: known vulnerabilities in every installed package
  nginx_config   the reverse proxy's nginx configuration (deploy/nginx/README.md)

Shared pieces: project (the content with file and line), yaml_io, text, problems, paths,
heldout (held-out scoring, also used by tests/nlu), nlu_scoring, gate, crossval, report, models,
model_store, trackers, masking, spreadsheet (CSV cells safe to open), progress.
"""
