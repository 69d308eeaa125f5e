"""A caregiver's journey through the console in a real browser (Debian's Chromium, driven by Playwright).

Open a cold console (its models not loaded yet) and sign in, ask a question, say something that needs
the crisis banner, give feedback (stored encrypted), export the conversation; screenshots at desktop and
phone width; an axe-core scan (WCAG 2.0/2.1 A and AA) of the sign-in and chat pages. Results go to
reports/screenshots/, reports/axe-results.json and reports/console-first-paint.json (how long the cold
console took to paint its first page and to show the chat input).

Streamlit reruns its script asynchronously after every interaction, so every step waits for what it
expects to see (Playwright's `expect` retries) and for the app to be idle, never for a fixed time.
"""

from __future__ import annotations

import json
import re
import time
from collections import Counter
from pathlib import Path

import pytest
from playwright.sync_api import BrowserContext, Locator, Page, expect

from core.privacy.crypto import decrypt
from core.safety.disclaimers import disclaimer_for
from core.store.feedback import list_feedback

from .conftest import AXE_JS, DESKTOP, FIRST_PAINT, PHONE, REPORTS, STARTUP

pytestmark = [pytest.mark.slow, pytest.mark.timeout(1200)]  # the first run trains the model (~3 minutes)

SCREENSHOTS = REPORTS / "screenshots"
AXE_RESULTS = REPORTS / "axe-results.json"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BLOCKING_IMPACTS = {"serious", "critical"}
# Selectors of Streamlit's own chrome (toolbar, header, iframes it injects) to leave out of the scan
# because the project cannot fix them. Each entry needs a comment with the reason. Empty on purpose:
# with Streamlit 1.67 and axe-core 4.14.1 no serious or critical violation was found in Streamlit's
# chrome (header, sidebar collapse button, chat input, toolbar in "minimal" mode) on these pages,
# so everything on the page is scanned.
STREAMLIT_CHROME_EXCLUDES: list[str] = []

REPLY_TIMEOUT = 90_000  # ms; the first reply also loads the models into the console process
QUESTION = "my mom has alzheimers and keeps asking the same question all day"
CRISIS = "everyone would be better off without me"
ORDINARY = "how can I get a break for myself this week?"
COMMENT = "Clear and kind advice about the repeated questions"
DISCLAIMER = disclaimer_for("caregiver", "en")


# --- driving the console -------------------------------------------------------------------------

def wait_idle(page: Page) -> None:
    """Streamlit marks its root with the script's run state; "notRunning" means the rerun is done."""
    expect(page.get_by_test_id("stApp")).to_have_attribute("data-test-script-state", "notRunning",
                                                           timeout=REPLY_TIMEOUT)


def open_sign_in(page: Page, base_url: str) -> None:
    page.goto(base_url)
    expect(page.get_by_role("heading", name="Sign in to CareOps")).to_be_visible()
    wait_idle(page)


def sign_in(page: Page, username: str, password: str) -> None:
    page.get_by_role("textbox", name="Username").fill(username)
    page.get_by_role("textbox", name="Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_test_id("stSidebar")).to_contain_text(f"Signed in as {username}")
    wait_idle(page)


def open_chat(page: Page) -> bool:
    """Signing in opens the role's home page: for a caregiver, the chat. On a cold console it says the
    assistant is loading until the models are ready, then shows the input. True if it said so."""
    expect(page.get_by_role("heading", name="CareOps assistant")).to_be_visible()
    loading = page.get_by_text("Loading the assistant…").or_(chat_input(page))
    expect(loading.first).to_be_visible(timeout=REPLY_TIMEOUT)
    was_loading = not chat_input(page).is_visible()
    expect(chat_input(page)).to_be_visible(timeout=REPLY_TIMEOUT)
    wait_idle(page)
    return was_loading


def chat_input(page: Page) -> Locator:
    return page.get_by_placeholder("Type your question and press Enter")


def messages(page: Page, who: str) -> Locator:
    """Chat bubbles of one side, told apart by their avatar icon ("person" / "support_agent")."""
    icon = {"user": "person", "assistant": "support_agent"}[who]
    avatar = page.get_by_test_id("stChatMessageAvatarCustom").filter(has_text=re.compile(f"^{icon}$"))
    return page.get_by_test_id("stChatMessage").filter(has=avatar)


def finished_replies(page: Page) -> Locator:
    """Assistant replies in their final form: the reply being streamed has no feedback thumbs yet."""
    return messages(page, "assistant").filter(has=page.get_by_test_id("stFeedback"))


def wait_for_reply(page: Page, count: int) -> Locator:
    """Wait until `count` replies are fully rendered and the app is idle; return the last one."""
    expect(finished_replies(page)).to_have_count(count, timeout=REPLY_TIMEOUT)
    wait_idle(page)
    expect(finished_replies(page)).to_have_count(count)
    return finished_replies(page).nth(count - 1)


def send_message(page: Page, text: str) -> Locator:
    before = finished_replies(page).count()
    chat_input(page).fill(text)
    chat_input(page).press("Enter")
    expect(messages(page, "user").filter(has_text=text)).to_be_visible()
    return wait_for_reply(page, before + 1)


def crisis_banner(page: Page) -> Locator:
    return page.get_by_test_id("stAlert").filter(has_text="help is available now")


def give_feedback(page: Page, reply: Locator, comment: str) -> None:
    reply.get_by_role("radio", name="Thumbs up").click()
    box = reply.get_by_role("textbox", name="Comment about this answer (optional)")
    expect(box).to_be_visible()
    wait_idle(page)
    box.fill(comment)
    reply.get_by_role("button", name="Send feedback").click()
    expect(reply.get_by_text("Thank you for your feedback")).to_be_visible()
    wait_idle(page)


SCROLL_STILL = """() => {
    const top = document.getElementById('stMain').scrollTop, probe = (window.__scrollProbe ||= {top: -1, same: 0});
    probe.same = top === probe.top ? probe.same + 1 : 0;
    probe.top = top;
    return probe.same >= 5;
}"""


def wait_scroll_still(page: Page) -> None:
    """Wait until <main> has not moved for five polls in a row (Streamlit keeps a chat scrolled to the
    bottom while the layout changes, for example while the sidebar slides away)."""
    page.evaluate("window.__scrollProbe = undefined")
    page.wait_for_function(SCROLL_STILL, polling=50)


def scroll_main(page: Page, y: int | str) -> None:
    """Streamlit scrolls inside <main id="stMain">, not the document."""
    page.evaluate("(y) => { const m = document.getElementById('stMain'); "
                  "m.scrollTo({top: y === 'bottom' ? m.scrollHeight : y, behavior: 'instant'}); }", y)
    wait_scroll_still(page)


# Positions inside <main>: a target goes just below Streamlit's header, which overlays the top of <main>.
SCROLL_TO = """(element) => {
    const main = document.getElementById('stMain');
    const below = document.querySelector('[data-testid="stHeader"]').getBoundingClientRect().bottom;
    main.scrollTo({top: element ? main.scrollTop + element.getBoundingClientRect().top - below : 0, behavior: 'instant'});
}"""
IN_PLACE = """(element) => {
    const main = document.getElementById('stMain');
    if (!element) return main.scrollTop === 0;
    const below = document.querySelector('[data-testid="stHeader"]').getBoundingClientRect().bottom;
    const offset = element.getBoundingClientRect().top - below;
    const atEnd = main.scrollTop >= main.scrollHeight - main.clientHeight - 1;
    return Math.abs(offset) < 2 || (atEnd && offset > 0);
}"""


def _on(page: Page, target: Locator | None, script: str):
    return target.evaluate(script) if target is not None else page.evaluate(script, None)


def scroll_to(page: Page, target: Locator | None) -> None:
    """Bring `target` (None: the page top) to the top of the window, scrolling only <main>, and check it
    stayed there: Streamlit's stick-to-bottom may take the scroll back while the layout settles."""
    for _ in range(10):
        _on(page, target, SCROLL_TO)
        wait_scroll_still(page)
        if _on(page, target, IN_PLACE):
            return
    raise AssertionError(f"could not scroll to {target or 'the page top'}")


def to_phone_width(page: Page) -> None:
    """Narrow the window; Streamlit then slides the sidebar away (wait until it is off screen)."""
    page.set_viewport_size(PHONE)
    sidebar = page.get_by_test_id("stSidebar")
    expect(sidebar).to_have_attribute("data-collapsed", "true")
    expect(sidebar).not_to_be_in_viewport()
    expect(chat_input(page)).to_be_in_viewport()


def screenshot(page: Page, name: str, target: Locator | None = None) -> Path:
    """A screenshot of the window, scrolled so that `target` starts at the top (or at the page top)."""
    scroll_to(page, target)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=path)
    return path


# --- accessibility --------------------------------------------------------------------------------

AXE_RUN = """async ([exclude, tags]) => {
    const context = exclude.length ? {exclude: exclude.map((selector) => [selector])} : document;
    const result = await axe.run(context, {runOnly: {type: 'tag', values: tags}});
    return {version: result.testEngine.version, incomplete: result.incomplete.length,
            violations: result.violations.map((v) => ({
                id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
                nodes: v.nodes.map((n) => ({target: n.target, impact: n.impact, html: n.html,
                                             summary: n.failureSummary}))}))};
}"""


def axe_scan(page: Page, name: str, viewport: str) -> dict:
    """Run axe over the whole page, scrolled through from top to bottom: axe checks colour contrast
    only for what is on screen, and Streamlit scrolls inside <main>. Violations are merged by
    (rule, target)."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE_JS))
    height = page.evaluate("document.getElementById('stMain').scrollHeight")
    step = page.viewport_size["height"] // 2
    rules: dict[str, dict] = {}
    version, incomplete = "", 0
    for y in [*range(0, max(height, 1), step), "bottom"]:
        scroll_main(page, y)
        result = page.evaluate(AXE_RUN, [STREAMLIT_CHROME_EXCLUDES, AXE_TAGS])
        version, incomplete = result["version"], max(incomplete, result["incomplete"])
        for violation in result["violations"]:
            rule = rules.setdefault(violation["id"], {**violation, "nodes": []})
            seen = {json.dumps(n["target"]) for n in rule["nodes"]}
            rule["nodes"] += [n for n in violation["nodes"] if json.dumps(n["target"]) not in seen]
    scroll_main(page, "bottom")
    return {"page": name, "viewport": viewport, "size": page.viewport_size, "url": page.url,
            "axe_version": version, "excluded": STREAMLIT_CHROME_EXCLUDES, "incomplete_rules": incomplete,
            "violations": list(rules.values())}


def blocking(scans: list[dict]) -> list[str]:
    """One line per serious/critical node: page, rule, element, axe's explanation (selectors in the JSON)."""
    return [
        f"{scan['page']} ({scan['viewport']}): {v['id']} [{v['impact']}] on {n['html'][:80]}: "
        f"{(n['summary'] or '').splitlines()[-1].strip()}"
        for scan in scans for v in scan["violations"] if v["impact"] in BLOCKING_IMPACTS for n in v["nodes"]
    ]


def write_axe_results(scans: list[dict]) -> None:
    counts = Counter(v["impact"] for scan in scans for v in scan["violations"] for _ in v["nodes"])
    AXE_RESULTS.write_text(json.dumps(
        {"tags": AXE_TAGS, "nodes_by_impact": dict(counts), "scans": scans}, indent=2, ensure_ascii=False))


# --- first paint ----------------------------------------------------------------------------------

# Installed before the page loads: remembers whether Streamlit's own page list (the files of pages/,
# "ui" and "sign in" among them) was ever in the document, however briefly.
WATCH_RAW_NAV = """(() => {
    window.__rawNavSeen = false;
    new MutationObserver(() => {
        if (document.querySelector('[data-testid="stSidebarNav"]')) window.__rawNavSeen = true;
    }).observe(document, {childList: true, subtree: true});
})();"""


def open_cold_console(page: Page, base_url: str, username: str, password: str) -> dict:
    """From the first request to a cold console to the chat input, timed. The first paint is the
    CareOps sign-in page (never Streamlit's raw list of the files in pages/); the chat shows a
    loading state, not a blank page, while the models load. No timing assertion: the figures are
    recorded in reports/console-first-paint.json (only generous sanity bounds are checked)."""
    page.add_init_script(WATCH_RAW_NAV)
    started = time.monotonic()
    page.goto(base_url)
    expect(page.get_by_role("heading", name="Sign in to CareOps")).to_be_visible()
    first_paint = time.monotonic() - started
    expect(page.get_by_test_id("stSidebar")).to_contain_text("CareOps")
    wait_idle(page)
    page.get_by_role("textbox", name="Username").fill(username)
    page.get_by_role("textbox", name="Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    # Not sign_in(): its wait for an idle app would also wait for the models the chat page waits for.
    expect(page.get_by_test_id("stSidebar")).to_contain_text(f"Signed in as {username}")
    signed_in = time.monotonic() - started
    was_loading = open_chat(page)
    assert not page.evaluate("window.__rawNavSeen"), "Streamlit's raw list of pages/ was shown"
    timing = {"first_paint_s": round(first_paint, 2), "signed_in_s": round(signed_in, 2),
              "chat_input_s": round(time.monotonic() - started, 2), "loading_state_shown": was_loading,
              **STARTUP, "measured_at": time.strftime("%Y-%m-%dT%H:%M:%S%z")}
    FIRST_PAINT.write_text(json.dumps(timing, indent=2))
    print(f"\ncold console: {json.dumps(timing)}")
    assert first_paint < 30, timing  # sanity only: the shell must not wait for the models
    return timing


# --- the journey ----------------------------------------------------------------------------------

def test_caregiver_journey(console, caregiver, trained, browser_context: BrowserContext):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    username, password = caregiver
    scans: list[dict] = []
    started = time.monotonic()
    page = browser_context.pages[0] if browser_context.pages else browser_context.new_page()
    page.set_viewport_size(DESKTOP)

    # 1. Open the cold console and sign in (timed); the sign-in page is scanned on the phone below and
    #    here, on a new tab, at desktop width.
    open_cold_console(page, console, username, password)
    signed_out = browser_context.new_page()  # a new tab is a new Streamlit session: signed out
    signed_out.set_viewport_size(DESKTOP)
    open_sign_in(signed_out, console)
    screenshot(signed_out, "sign-in-desktop")
    scans.append(axe_scan(signed_out, "sign-in", "desktop"))
    signed_out.close()

    # 2. An ordinary question: a reply with Sources links and the caregiver disclaimer.
    first = send_message(page, QUESTION)
    expect(first).to_contain_text(DISCLAIMER)
    expect(first).to_contain_text("Sources:")
    expect(first.get_by_role("link").first).to_have_attribute("href", re.compile(r"^https://"))
    screenshot(page, "chat-desktop", first)

    # 3. A message that needs crisis resources: the banner, with a tel:988 link, stays for the next turn.
    send_message(page, CRISIS)
    banner = crisis_banner(page)
    expect(banner).to_be_visible()
    expect(banner.locator('a[href="tel:988"]')).to_be_visible()
    expect(banner.locator('a[href^="sms:988"]')).to_be_visible()
    screenshot(page, "crisis-desktop")  # the page top: title, then the banner
    expect(banner).to_be_in_viewport()
    send_message(page, ORDINARY)
    expect(crisis_banner(page)).to_be_visible()
    expect(crisis_banner(page).locator('a[href="tel:988"]')).to_be_visible()

    # 4. Thumbs up with a comment on the first reply; the comment is stored encrypted.
    give_feedback(page, first, COMMENT)
    rows = [row for row in list_feedback(settings=trained) if row.rating == 1 and row.comment_encrypted]
    assert len(rows) == 1, rows
    assert COMMENT not in rows[0].comment_encrypted
    assert decrypt(rows[0].comment_encrypted, trained) == COMMENT

    # 5. Export as Markdown: the conversation, timestamps and the disclaimer.
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Download (Markdown)").click()
    download = download_info.value
    assert download.suggested_filename == "careops-conversation.md"
    exported = Path(download.path()).read_text(encoding="utf-8")
    for text in (QUESTION, CRISIS, ORDINARY, DISCLAIMER):
        assert text in exported, f"{text!r} is missing from the export"
    assert re.search(r"\(\d{4}-\d{2}-\d{2} \d{2}:\d{2}\)", exported), "no timestamp in the export"
    wait_idle(page)

    # 6-7. Accessibility of the chat page, then the same screens at phone width.
    scans.append(axe_scan(page, "chat", "desktop"))
    to_phone_width(page)
    screenshot(page, "chat-phone", first)
    screenshot(page, "crisis-phone")
    expect(crisis_banner(page)).to_be_in_viewport()
    scans.append(axe_scan(page, "chat", "phone"))

    phone = browser_context.new_page()  # a new tab is a new Streamlit session: signed out
    phone.set_viewport_size(PHONE)
    open_sign_in(phone, console)
    screenshot(phone, "sign-in-phone")
    scans.append(axe_scan(phone, "sign-in", "phone"))
    phone.close()

    write_axe_results(scans)
    print(f"\njourney took {time.monotonic() - started:.0f}s; axe results in {AXE_RESULTS}")
    problems = blocking(scans)
    assert not problems, "serious/critical accessibility violations:\n" + "\n".join(problems)
