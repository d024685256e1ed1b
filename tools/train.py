"""Training a model: `make train`, and the staff console's training after an edit.

    python -m tools.train           a full training, as `rasa train`
    python -m tools.train --quick   after an edit: finetune the newest model when Rasa can

Run in the project's folder (its data/ and models/), as Rasa itself is.

`--quick` asks Rasa to finetune the newest trained model for FINETUNE_EPOCH_FRACTION of the
configured epochs, starting from what that model learnt. Rasa refuses when the edit is more than
new example questions for the topics and intents the model knows (a new topic, a changed
pipeline, domain, rule or story); the full training then runs. Either way the model must pass the
held-out gate before it is published (tools/publish.py), so a finetuned model that lost accuracy
does not go live. The transformer features of unchanged examples are reused in both
(components/lm_feature_cache.py).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path
from typing import List

from tools import paths
from tools.models import newest_trained
from tools.progress import minutes, say

FINETUNE_EPOCH_FRACTION = 0.1
THREADS = 2


def rasa_train(root: Path, *extra: str) -> int:
    command = [sys.executable, "-m", "rasa", "train", "--out", paths.MODELS]
    return subprocess.run([*command, "--num-threads", str(THREADS), *extra], cwd=root).returncode


def train(root: Path, quick: bool = False) -> int:
    started = time.monotonic()
    model = newest_trained(root) if quick else None
    if model is not None:
        say(f"Finetuning {model.name} on the edited examples...")
        fraction = str(FINETUNE_EPOCH_FRACTION)
        if rasa_train(root, "--finetune", str(model), "--epoch-fraction", fraction) == 0:
            say(f"Finetuned in {minutes(time.monotonic() - started)}.")
            return 0
        say("Rasa cannot finetune after this edit; training a new model from the start...")
    code = rasa_train(root)
    if code == 0:
        say(f"Trained in {minutes(time.monotonic() - started)}.")
    return code


def main(argv: List[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--quick", action="store_true", help="finetune the newest model if Rasa can"
    )
    args = parser.parse_args(argv)
    return train(Path.cwd(), args.quick)


if __name__ == "__main__":
    sys.exit(main())
