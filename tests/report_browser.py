# -*- coding: utf-8 -*-
# Copyright (c) graphops.intune contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Open the update_report HTML page in a real headless Chromium (Debian's chromium, driven by Playwright).

One launcher for the browser test (tests/integration/test_report_browser.py) and the README's
screenshot (scripts/screenshot.sh), so the picture is what the test checked:

    python tests/report_browser.py screenshot REPORT.html OUT.png [--width 1280] [--height 1400]

The browser is /usr/bin/chromium (GRAPHOPS_CHROMIUM overrides it); Playwright never downloads
one. Every request that is not file:// or loopback is aborted and recorded, so a page that needs
the network shows up in `Page.blocked` instead of silently loading from it.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import sys
import tempfile
from urllib.parse import urlsplit

CHROMIUM = os.environ.get('GRAPHOPS_CHROMIUM', '/usr/bin/chromium')
# Headless with nothing that talks to the network on its own (no sync, updates, field trials).
FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
         '--disable-background-networking', '--disable-component-update', '--disable-sync',
         '--disable-default-apps', '--disable-extensions', '--metrics-recording-only', '--mute-audio']
LOOPBACK = {'127.0.0.1', '::1', 'localhost'}


def missing():
    """Why the browser cannot run here (a message), or None."""
    if not os.access(CHROMIUM, os.X_OK):
        return '%s not found: apt-get install chromium (scripts/test.sh does it when run as root)' % CHROMIUM
    try:
        import playwright.sync_api  # noqa: F401  pylint: disable=unused-import
    except ImportError:
        return 'playwright is not installed: bash scripts/bootstrap.sh'
    return None


def is_local(url):
    parts = urlsplit(url)
    return parts.scheme in ('file', 'data', 'about', 'blob') or (
        parts.scheme in ('http', 'https', 'ws', 'wss') and (parts.hostname or '') in LOOPBACK)


class Page(object):
    """A loaded page and what the browser saw while loading it."""

    def __init__(self, page):
        self.page = page
        self.console = []   # (type, text) of every console message
        self.errors = []    # uncaught exceptions
        self.dialogs = []   # alert()/confirm()/prompt() texts: a script ran
        self.requests = []  # every URL requested
        self.blocked = []   # URLs that were not local: aborted

    @property
    def console_errors(self):
        return [text for kind, text in self.console if kind in ('error', 'assert')]


@contextlib.contextmanager
def open_page(path, width=1280, height=900):
    """Yield a Page for the local HTML file `path`, loaded with the network cut off."""
    from playwright.sync_api import sync_playwright
    profile = tempfile.mkdtemp(prefix='graphops-chromium-')
    try:
        with sync_playwright() as playwright:
            context = playwright.chromium.launch_persistent_context(
                profile, executable_path=CHROMIUM, headless=True, args=FLAGS,
                viewport={'width': width, 'height': height})
            try:
                page = context.pages[0] if context.pages else context.new_page()
                seen = Page(page)

                def route(route_, request):
                    seen.requests.append(request.url)
                    if is_local(request.url):
                        route_.continue_()
                    else:
                        seen.blocked.append(request.url)
                        route_.abort()

                context.route('**/*', route)
                page.on('console', lambda message: seen.console.append((message.type, message.text)))
                page.on('pageerror', lambda error: seen.errors.append(str(error)))

                def dialog(dialog_):
                    seen.dialogs.append(dialog_.message)
                    dialog_.dismiss()

                page.on('dialog', dialog)
                page.goto('file://' + os.path.abspath(path), wait_until='load')
                yield seen
            finally:
                context.close()
    finally:
        shutil.rmtree(profile, ignore_errors=True)


def screenshot(path, out, width=1280, height=1400):
    """Write a PNG of the top `height` pixels of the page (the whole page with height=0)."""
    with open_page(path, width=width, height=height or 900) as seen:
        if seen.console_errors or seen.errors or seen.blocked:
            raise RuntimeError('the page did not load cleanly: %r' % (seen.console_errors + seen.errors + seen.blocked))
        seen.page.screenshot(path=out, full_page=not height)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n', 1)[0])
    sub = parser.add_subparsers(dest='command', required=True)
    shot = sub.add_parser('screenshot', help='PNG of a report page')
    shot.add_argument('html')
    shot.add_argument('png')
    shot.add_argument('--width', type=int, default=1280)
    shot.add_argument('--height', type=int, default=1400, help='0: the whole page')
    args = parser.parse_args(argv)
    problem = missing()
    if problem:
        parser.exit(1, problem + '\n')
    screenshot(args.html, args.png, args.width, args.height)
    print(args.png)
    return 0


if __name__ == '__main__':
    sys.exit(main())
