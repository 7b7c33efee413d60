"""The demo scenario of DOMAIN.md, loaded idempotently by `flask demo load`."""
from __future__ import annotations

DEMO_DOMAIN = "demo.prachum.in.th"
DEMO_ACCOUNTS: tuple[tuple[str, str], ...] = (
    (f"admin@{DEMO_DOMAIN}", "admin"),
    (f"secretariat@{DEMO_DOMAIN}", "secretariat"),
    (f"reporter.ict@{DEMO_DOMAIN}", "reporter"),
    (f"member@{DEMO_DOMAIN}", "member"),
    (f"viewer@{DEMO_DOMAIN}", "viewer"),
)


def load_demo() -> str:
    """Create or complete the demo data; running it again changes nothing. Returns a summary line."""
    from app.demo.loader import load

    return load()
