"""The response generator named in endpoints.yml: the most specific matching variation wins.

Rasa draws at random among every conditional variation whose conditions all match. A response
with a youth variation (`is_minor: true`) and a French one (`language: fr`) would then give a
French-speaking minor the adult French text about half of the time. This generator keeps, among
the matching conditional variations, only those with the most conditions: a French-speaking
minor gets the variation conditioned on both, an English-speaking minor the youth one, a French
adult the French one. Variations with as many conditions still share the draw, as in Rasa, and
channel-specific variations keep Rasa's precedence.

It also says the answers staff published without training (the staff console, `make publish`'s
fast path): tools/published_answers.py keeps, with the published model, new texts for answers the
model already has; they replace the model's own text until a rollback or a newer model.

endpoints.yml: `nlg: {type: serving.specific_responses.SpecificResponseGenerator}`; an optional
`published:` names the published folder (default models/published, from the server's folder).
It is a `TemplatedNaturalLanguageGenerator`, so Rasa's agent refreshes its responses when a new
model is loaded, as it does for its own generator.
"""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

from rasa.core.nlg import TemplatedNaturalLanguageGenerator
from rasa.core.nlg.generator import ResponseVariationFilter
from rasa.shared.constants import RESPONSE_CONDITION
from rasa.shared.core.domain import Domain
from rasa.utils.endpoints import EndpointConfig

from tools import paths
from tools.published_answers import PublishedAnswers


def condition_count(variation: dict[str, Any]) -> int:
    return len(variation.get(RESPONSE_CONDITION) or [])


def most_specific(variations: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The variations with the most conditions (all of them when none is conditional)."""
    if not variations:
        return []
    most = max(condition_count(variation) for variation in variations)
    return [variation for variation in variations if condition_count(variation) == most]


def candidates(
    responses: dict[str, list[dict[str, Any]]],
    utter_action: str,
    output_channel: str | None,
    filled_slots: dict[str, Any],
) -> list[dict[str, Any]]:
    """The variations the generator draws from, for these slots and this channel."""
    if utter_action not in responses:
        return []
    suitable = ResponseVariationFilter(responses).responses_for_utter_action(
        utter_action, output_channel, filled_slots
    )
    return most_specific(suitable)


class SpecificResponseGenerator(TemplatedNaturalLanguageGenerator):
    """Rasa's response generator, drawing only among the most specific matching variations."""

    def __init__(
        self,
        endpoint_config: EndpointConfig | None = None,
        domain: Domain | None = None,
        responses: dict[str, list[dict[str, Any]]] | None = None,
    ) -> None:
        super().__init__(
            responses if responses is not None else (domain or Domain.empty()).responses
        )
        folder = (endpoint_config.kwargs.get("published") if endpoint_config else None) or str(
            paths.PUBLISHED
        )
        self.published = PublishedAnswers(Path(folder))

    def _random_response_for(
        self, utter_action: str, output_channel: str, filled_slots: dict[str, Any]
    ) -> dict[str, Any] | None:
        responses = self.responses
        published = self.published.variants_for(utter_action, responses.get(utter_action))
        if published is not None:
            responses = {utter_action: published}
        suitable = candidates(responses, utter_action, output_channel, filled_slots)
        return random.choice(suitable) if suitable else None
