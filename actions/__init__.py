"""Custom actions for the assistant's action server (rasa-sdk)."""
