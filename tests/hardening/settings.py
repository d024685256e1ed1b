"""Settings of the Rasa server the hardening tests start."""

ACTION_TIMEOUT_S = 2.0
ALLOWED_ORIGIN = "http://localhost:8080"
