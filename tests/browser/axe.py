"""axe-core in the page under test: every rule, every impact, nothing tolerated.

axe-core is a pinned dev dependency of the page (``web/package.json``, installed by
``npm ci`` into ``web/node_modules/``, which the page server never serves). It is put
into the page only here, by the test, through the DevTools protocol: the page itself
never loads it.
"""

from __future__ import annotations

from typing import Dict, List

from playwright.sync_api import Page

from bot.web.settings import WEB_ROOT

AXE = WEB_ROOT / "node_modules" / "axe-core" / "axe.min.js"

RUN = """async () => {
    const result = await window.axe.run(document, { resultTypes: ["violations"] });
    return result.violations.map((v) => ({
        id: v.id,
        impact: v.impact,
        help: v.help,
        nodes: v.nodes.map((n) => n.target.join(" ") + " :: " + n.failureSummary),
    }));
}"""


def violations(page: Page) -> List[Dict[str, object]]:
    """What axe-core finds on the page as it is now (an empty list when nothing)."""
    assert AXE.is_file(), "run make install (npm ci installs axe-core for the tests)"
    if not page.evaluate("typeof window.axe === 'object'"):
        page.evaluate(AXE.read_text(encoding="utf-8"))
    return page.evaluate(RUN)


def assert_no_violations(page: Page, state: str) -> None:
    """Fails with axe-core's findings when the page has any, at any impact."""
    found = violations(page)
    assert found == [], f"axe-core in state {state!r}: {found}"
