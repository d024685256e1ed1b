"""Action server settings, read from environment variables (nothing else reads os.environ)."""

import os
from dataclasses import dataclass
from pathlib import Path

from tools import paths


@dataclass(frozen=True)
class Settings:
    directory_path: Path
    places_path: Path
    max_services: int


def load_settings() -> Settings:
    return Settings(
        directory_path=Path(os.environ.get("REFERRAL_DIRECTORY", paths.ROOT / paths.SERVICES)),
        places_path=Path(os.environ.get("REFERRAL_PLACES", paths.ROOT / paths.PLACES)),
        max_services=int(os.environ.get("REFERRAL_MAX_SERVICES", "4")),
    )
