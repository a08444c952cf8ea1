"""Where the seed spec is: $NUMBERDESK_IMPORTED_SEED_SPEC, else `shared/seeds/` beside the repository
clone (CI), else beside its parent folder (a worktree under a folder of worktrees)."""

from __future__ import annotations

import os
from pathlib import Path

_NAME = "imported-numbers-hosting-orders.openapi.yaml"
_REPO = Path(__file__).resolve().parents[2]


def imported_seed_path() -> Path:
    override = os.environ.get("NUMBERDESK_IMPORTED_SEED_SPEC")
    if override:
        return Path(override)
    candidates = [base / "shared" / "seeds" / _NAME for base in (_REPO.parent, _REPO.parent.parent)]
    return next((c for c in candidates if c.is_file()), candidates[0])
