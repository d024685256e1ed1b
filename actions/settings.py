"""Action server settings, read from environment variables (nothing else reads os.environ)."""

import os
from dataclasses import dataclass
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Settings:
    directory_path: Path
    places_path: Path
    max_services: int


def load_settings() -> Settings:
    return Settings(
        directory_path=Path(
            os.environ.get("REFERRAL_DIRECTORY", PROJECT_ROOT / "data/referrals/services.yml")
        ),
        places_path=Path(
            os.environ.get("REFERRAL_PLACES", PROJECT_ROOT / "data/referrals/places.yml")
        ),
        max_services=int(os.environ.get("REFERRAL_MAX_SERVICES", "4")),
    )
