"""Fixtures for browser tests: Chromium, a fresh page per test, and the test LMS.

- ``browser`` (session): the system's /usr/bin/chromium, headless, via Playwright.
- ``context`` / ``page`` (per test): a new browser context (empty storage) and a page
  in it. Every wait is for an event (an element, an API call); its timeout only stops a test
  that would otherwise hang, so it is set far above what a busy machine needs.
- ``lms_server`` (session): the HTTP server for the harness, npm files and packages.
- ``lms`` (per test): ``lms.launch(page, package_dir, ...)`` returns a ``Launch``;
  see tests/browser/lms.py.
"""

import pytest
from playwright.sync_api import expect, sync_playwright

from lms import Lms, LmsServer, launch_chromium

PAGE_TIMEOUT_MS = 120_000        # a hang guard, not a speed claim
expect.set_options(timeout=PAGE_TIMEOUT_MS)


@pytest.fixture(scope="session")
def browser():
    with sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        yield browser
        browser.close()


@pytest.fixture
def context(browser):
    context = browser.new_context()
    yield context
    context.close()


@pytest.fixture
def page(context):
    page = context.new_page()
    page.set_default_timeout(PAGE_TIMEOUT_MS)
    return page


@pytest.fixture(scope="session")
def lms_server():
    server = LmsServer().start()
    yield server
    server.stop()


@pytest.fixture
def lms(lms_server):
    return Lms(lms_server)
