"""The graph components named in config.yml (and only those): a change here means retraining."""
