"""How the Rasa server runs this assistant: its entry point and what changes Rasa's serving.

`python -m serving.server` starts Rasa (scripts/services.sh, `make shell`); `python -m
serving.model_server` serves the published model to it. patches.py installs the changes to Rasa's
own code before Rasa starts; the tracker store named in endpoints.yml lives here too. The graph
components named in config.yml live in components/.
"""
