# -*- coding: utf-8 -*-
# Copyright (c) graphops.intune contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The update_report HTML page in a real headless Chromium (tests/report_browser.py): it renders
without console errors, every section of the data is there with the data's counts, hostile names
are shown as text (no script runs, no element is injected), and it loads nothing from the network.

The page is made by the role from the showcase tenant with hostile names added, through real
ansible-playbook against the emulator. Sections are checked from update-report.json, so a
section added to the template later is covered by the generic checks below."""

from __future__ import annotations

import copy
import json
import os
import re

import pytest
import yaml

import report_browser
from conftest import REPO

SHOWCASE = os.path.join(REPO, 'tests', 'emulator', 'showcase.yml')
POLICIES = ['9f3a5c1e-0b7d-4c2a-8e61-3d2f1a0b9c11', '0e5b7d21-6c3f-4a9e-b2d8-7f1c4e9a3b22']
CONFIGURATIONS = ['b6f1a2d4-0d3b-4c2e-9a61-5e2f7c1d9e01', 'f7a2b3c4-1e4c-4d3f-8b72-6f3a8d2e0f02']
DEVICES = ['d1e2f3a4-0000-4000-8000-0000000000%02d' % n for n in (1, 3, 5, 12)]

SCRIPT_RING = 'Ring0 <script>alert("ring")</script>'
IMG_STATE = '"><img src=x onerror=alert(1)>'
QUOTES_STATE = 'Tom & Jerry\'s "PC" &amp; <u>underlined</u>'
SCRIPT_DEVICE = '<script>alert(\'device\')</script> & "Co"'
AMP_POLICY = 'R&D &amp; Labs <s>struck</s>'
HOSTILE = [SCRIPT_RING, IMG_STATE, QUOTES_STATE, SCRIPT_DEVICE, AMP_POLICY]

# The sections of the page and the part of update-report.json each one shows.
SECTIONS = {'status': 'summary', 'attention': 'attention', 'rings': 'policies', 'update-states': 'device_configurations',
            'configuration-states': 'managed_devices', 'os-images': 'os_images', 'wufb-profiles': 'wufb_profiles'}

pytestmark = pytest.mark.skipif(
    report_browser.missing() is not None and not os.environ.get('CI'),
    reason=report_browser.missing() or '')


def hostile_showcase():
    with open(SHOWCASE) as handle:
        seed = copy.deepcopy(yaml.safe_load(handle))
    policies = seed['windowsUpdates']['policies']
    policies[0]['rings'][0]['displayName'] = SCRIPT_RING
    policies[1]['displayName'] = AMP_POLICY
    states = seed['deviceManagement']['deviceConfigurations'][0]['deviceUpdateStates']
    states[0]['deviceDisplayName'] = IMG_STATE
    states[0]['status'] = 'failed'
    states[1]['deviceDisplayName'] = QUOTES_STATE
    device = [d for d in seed['deviceManagement']['managedDevices'] if d['id'] == DEVICES[1]][0]
    device['deviceName'] = SCRIPT_DEVICE
    return seed


def role(**variables):
    return [{'name': 'run the role', 'ansible.builtin.include_role': {'name': 'graphops.intune.update_report'},
             'vars': variables}]


def rows(page, selector):
    return page.locator(selector).count()


def number(text):
    found = re.search(r'-?\d+', text)
    assert found, text
    return int(found.group(0))


def card(page, label):
    """The number of the summary card with this label."""
    cards = page.locator('.card').filter(has=page.locator('.label', has_text=re.compile('^%s$' % re.escape(label), re.I)))
    assert cards.count() == 1, label
    return number(cards.locator('.num').inner_text())


def test_report_renders_in_chromium_with_the_data_escaped_and_offline(ansible, graph, tmp_path):
    problem = report_browser.missing()
    assert problem is None, problem  # CI=true: the set-up (.ci/run, scripts/test.sh) installs the browser
    graph.reset(hostile_showcase())
    out = tmp_path / 'report'
    run = ansible(role(update_report_dir=str(out), update_report_policy_ids=POLICIES,
                       update_report_device_configuration_ids=CONFIGURATIONS, update_report_managed_device_ids=DEVICES))
    assert run.rc == 0, run.output
    data = json.loads((out / 'update-report.json').read_text())
    summary = data['summary']
    assert summary['update_states'] == 14 and summary['rings'] == 4 and summary['managed_devices'] == 4  # the seed is used

    with report_browser.open_page(str(out / 'update-report.html')) as seen:
        page = seen.page
        # Rendered cleanly, with nothing fetched from outside the file and no script run.
        assert seen.console_errors == [] and seen.errors == []
        assert seen.blocked == []
        assert seen.requests and all(url.startswith('file://') for url in seen.requests), seen.requests
        assert seen.dialogs == []
        assert rows(page, 'script') == 0 and rows(page, 'img') == 0 and rows(page, 'u') == 0 and rows(page, 's') == 0
        assert page.locator('link[rel=stylesheet], [src]').count() == 0
        assert page.title() == data['title']

        # Hostile names are shown exactly as Graph holds them, as text.
        text = page.inner_text('body')
        for name in HOSTILE:
            assert name in text, name

        # Every section: present once, with a heading; the known ones match their part of the data.
        ids = page.eval_on_selector_all('section', 'els => els.map(e => e.id)')
        assert len(ids) == len(set(ids)) and all(ids), ids
        for section in ids:
            assert page.locator('section#%s h2' % section).inner_text().strip(), section
        for section, key in SECTIONS.items():
            assert key in data, key
            assert section in ids, section

        # Counts: the summary cards and each section's rows are the data's.
        counts = summary['update_status_counts']
        assert card(page, 'Devices') == summary['update_states']
        assert card(page, 'Up to date') == counts['upToDate']
        assert card(page, 'Pending installation') == counts['pendingInstallation']
        assert card(page, 'Pending reboot') == counts['pendingReboot']
        assert card(page, 'Failed') == counts['failed'] == 3
        assert card(page, 'Update rings') == summary['rings']
        legend = page.locator('#status .legend > span')
        assert legend.count() == len(counts)
        assert sum(number(legend.nth(i).locator('b').inner_text()) for i in range(legend.count())) == summary['update_states']

        assert rows(page, '#attention tbody tr') == summary['attention'] == len(data['attention']) == 5
        assert rows(page, '#rings h3') == len(data['policies'])
        assert rows(page, '#rings tbody tr') == summary['rings']
        assert rows(page, '#rings tbody tr.paused') == summary['paused_rings'] == 1
        assert rows(page, '#update-states h3') == len(data['device_configurations'])
        assert rows(page, '#update-states tbody tr') == summary['update_states']
        assert rows(page, '#configuration-states h3') == len(data['managed_devices'])
        assert rows(page, '#configuration-states tbody tr') == summary['configuration_states']
        assert rows(page, '#os-images .image') == summary['os_images']
        assert rows(page, '#os-images tbody tr') == len(data['os_image_editions'])

        # Every named entity of the data, in any section (also sections added later), is on the page.
        names = set()
        for key, value in data.items():
            if isinstance(value, list):
                for item in value:
                    if isinstance(item, dict):
                        for field in ('displayName', 'deviceDisplayName', 'deviceName'):
                            if item.get(field):
                                names.add(item[field])
        for policy in data['policies']:
            names.update(ring['displayName'] for ring in policy['rings'])
        for configuration in data['device_configurations']:
            names.update(state['deviceDisplayName'] for state in configuration['deviceUpdateStates'])
        assert len(names) > 20
        missing = sorted(name for name in names if name not in text)
        assert missing == []

    # At 1,400 px (and at the 1,280 px of the README's picture) no table scrolls sideways: every column, the WUfB
    # profiles' "Excluded groups" included, is in view; the profiles' deadlines are shown where the profile has them.
    profiles = {p['displayName']: p for p in data['wufb_profiles']}
    pilot = profiles['WUfB - Pilot ring']
    assert (pilot['deadlineForQualityUpdatesInDays'], pilot['deadlineForFeatureUpdatesInDays'], pilot['deadlineGracePeriodInDays']) == (3, 7, 2)
    for width in (1400, 1280):
        with report_browser.open_page(str(out / 'update-report.html'), width=width) as seen:
            page = seen.page
            overflowing = page.eval_on_selector_all(
                '.scroll', 'els => els.filter(e => e.scrollWidth > e.clientWidth + 1)'
                '.map(e => (e.closest("section") || {}).id + ": " + e.scrollWidth + " > " + e.clientWidth)')
            assert overflowing == [], (width, overflowing)
            assert page.evaluate('document.documentElement.scrollWidth <= window.innerWidth'), width
            header = page.locator('#wufb-profiles th', has_text=re.compile('^Excluded groups$', re.I))
            assert header.count() == 1
            box = header.bounding_box()
            assert box and box['x'] >= 0 and box['x'] + box['width'] <= width, (width, box)
            row = page.locator('#wufb-profiles tbody tr', has_text='WUfB - Pilot ring')
            assert row.count() == 1
            cells = row.locator('td')
            assert re.sub(r'\s+', ' ', cells.nth(3).inner_text()).strip() == '3 d / 7 d / 2 d'
            assert '\u2013' not in cells.nth(3).inner_text()


def test_empty_report_renders_in_chromium(ansible, graph, tmp_path):
    """Nothing listed, no OS images: every section says so, still without an error."""
    out = tmp_path / 'empty'
    run = ansible(role(update_report_dir=str(out), update_report_os_images=False, update_report_wufb_profiles=False))
    assert run.rc == 0, run.output
    with report_browser.open_page(str(out / 'update-report.html')) as seen:
        assert seen.console_errors == [] and seen.errors == [] and seen.blocked == []
        page = seen.page
        assert rows(page, 'tbody tr') == 0
        assert card(page, 'Devices') == 0
        for section in SECTIONS:
            assert rows(page, 'section#%s' % section) == 1, section
        assert rows(page, '.empty') >= len(SECTIONS) - 1  # the status section shows its own line
