"""The staff console: keep the content current from a browser (python -m console.app)."""
