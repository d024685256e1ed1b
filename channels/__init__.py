"""Rasa input/output channels: the website (REST, socket.io) and messaging services."""
