"""A dialogue policy that keeps a help request from ending in silence.

When a custom action fails (action server down, slow or erroring), Rasa logs
the error and carries on with no bot message. This policy notices that the
last action was a custom action and that nothing was said since the user's
message, and predicts a static response (`utter_help_offline`) that the Rasa
server can send by itself, with the emergency and hotline numbers.
"""

from __future__ import annotations

from typing import Any, Dict, List

from rasa.core.policies.policy import Policy, PolicyPrediction, SupportedData
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.shared.core.constants import ACTION_LISTEN_NAME
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import BotUttered, UserUttered
from rasa.shared.core.generator import TrackerWithCachedStates
from rasa.shared.core.trackers import DialogueStateTracker


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.POLICY_WITHOUT_END_TO_END_SUPPORT, is_trainable=True
)
class SafetyNetPolicy(Policy):
    """Predicts the offline help response after a custom action said nothing."""

    @staticmethod
    def get_default_config() -> Dict[str, Any]:
        return {"priority": 7, "response": "utter_help_offline"}

    @staticmethod
    def supported_data() -> SupportedData:
        return SupportedData.ML_AND_RULE_DATA

    def train(
        self,
        training_trackers: List[TrackerWithCachedStates],
        domain: Domain,
        **kwargs: Any,
    ) -> Resource:
        return self._resource

    def predict_action_probabilities(
        self,
        tracker: DialogueStateTracker,
        domain: Domain,
        rule_only_data: Dict[str, Any] | None = None,
        **kwargs: Any,
    ) -> PolicyPrediction:
        probabilities = self._default_predictions(domain)
        response = self.config["response"]
        if response not in domain.action_names_or_texts:
            return self._prediction(probabilities)
        latest = tracker.latest_action_name
        if latest == response:
            probabilities[domain.index_for_action(ACTION_LISTEN_NAME)] = 1.0
        elif latest in domain.user_actions and custom_action_was_silent(tracker):
            probabilities[domain.index_for_action(response)] = 1.0
        return self._prediction(probabilities)


def custom_action_was_silent(tracker: DialogueStateTracker) -> bool:
    """True if no bot message was sent since the user's latest message."""
    for event in reversed(tracker.events):
        if isinstance(event, BotUttered):
            return False
        if isinstance(event, UserUttered):
            return True
    return False
