"""Loads Rasa's TensorFlow models (DIET, ResponseSelector, TED) for serving without training.

To give a model its weights, Rasa 3.6 compiles it with an Adam optimizer, fits one training step
on an example, then overwrites the weights with the trained ones. The training graph and the
optimizer stay in memory for the life of the server: about 590 MB of its 1.5 GB with this
project's model. A server only predicts, so here the model is built by predicting once on the
example, with the trained weights restored into each layer as it is built (TensorFlow's deferred
restore). The predictions are the same (all 284 held-out examples: intent, response and both
confidences); if any layer were left without its trained weights, the model is loaded Rasa's way
instead, with a warning.

serving/patches.py installs it (LEAN_MODEL_LOAD=0 keeps Rasa's loading). Training and
fine-tuning are not affected.
"""

from __future__ import annotations

import logging
from typing import Any

from rasa.utils.tensorflow.model_data import RasaModelData
from rasa.utils.tensorflow.models import RasaModel

logger = logging.getLogger(__name__)

_rasa_load = RasaModel.load.__func__


def _load_for_serving(
    cls: type,
    model_file_name: str,
    model_data_example: RasaModelData,
    predict_data_example: RasaModelData | None = None,
    finetune_mode: bool = False,
    *args: Any,
    **kwargs: Any,
) -> RasaModel:
    def rasa_way() -> RasaModel:
        return _rasa_load(
            cls,
            model_file_name,
            model_data_example,
            predict_data_example,
            finetune_mode,
            *args,
            **kwargs,
        )

    if finetune_mode:
        return rasa_way()
    model = cls(*args, **kwargs)
    status = model.load_weights(model_file_name)
    status.expect_partial()  # the checkpoint also holds the optimizer, which serving never needs
    model.run_inference(predict_data_example or model_data_example)
    try:
        status.assert_existing_objects_matched()
    except AssertionError as error:
        logger.warning(
            "%s: some weights were not restored without a training step (%s); "
            "loading it Rasa's way.",
            cls.__name__,
            str(error).splitlines()[0],
        )
        return rasa_way()
    return model


def install() -> None:
    """Makes every RasaModel load for serving (idempotent)."""
    RasaModel.load = classmethod(_load_for_serving)
