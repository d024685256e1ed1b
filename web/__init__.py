"""The chat widget's static files (static/) and the small server that serves them (serve.py)."""
