"""The Rasa server's response generator: the model's answers, or their published new text.

Named in endpoints.yml (`nlg:`). Staff can change an answer's text and publish it without
training (tools/published_answers.py, the staff console): this generator then says the published
text in place of the model's own, and goes back to the model's text after a rollback or when a
newer model is published. `published:` in the endpoint names the published folder (default
models/published, relative to the folder the server runs in).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Dict

import numpy as np
from rasa.core.nlg.generator import ResponseVariationFilter
from rasa.core.nlg.response import TemplatedNaturalLanguageGenerator
from rasa.shared.core.domain import Domain
from rasa.utils.endpoints import EndpointConfig

from tools import paths
from tools.published_answers import PublishedAnswers


class PublishedAnswersNLG(TemplatedNaturalLanguageGenerator):
    def __init__(
        self, endpoint_config: EndpointConfig | None = None, domain: Domain | None = None
    ) -> None:
        super().__init__((domain or Domain.empty()).responses)
        folder = (endpoint_config.kwargs.get("published") if endpoint_config else None) or str(
            paths.PUBLISHED
        )
        self.published = PublishedAnswers(Path(folder))

    def _random_response_for(
        self, utter_action: str, output_channel: str, filled_slots: Dict[str, Any]
    ) -> Dict[str, Any] | None:
        variants = self.published.variants_for(utter_action, self.responses.get(utter_action))
        if variants is None:
            return super()._random_response_for(utter_action, output_channel, filled_slots)
        suitable = ResponseVariationFilter({utter_action: variants}).responses_for_utter_action(
            utter_action, output_channel, filled_slots
        )
        return np.random.choice(suitable) if suitable else None
