# -*- coding: utf-8 -*-
# Copyright (c) graphops.intune contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The one retry policy (transport/retry.py): what is retried, how long to wait, when to give up."""

from __future__ import annotations

import email.utils
import http.client

import pytest
import requests
import urllib3.exceptions

from ansible_collections.graphops.intune.plugins.module_utils.transport.retry import (
    FINAL, RETRY, UNKNOWN, RetryPolicy, never_sent, timed_out)

CONNECT_REFUSED = requests.exceptions.ConnectionError(urllib3.exceptions.NewConnectionError(None, 'Connection refused'))
RESET = requests.exceptions.ConnectionError(ConnectionResetError(104, 'Connection reset by peer'))
READ_TIMEOUT = requests.exceptions.ReadTimeout('read timed out')
CONNECT_TIMEOUT = requests.exceptions.ConnectTimeout('connect timed out')
CUT_SHORT = requests.exceptions.ChunkedEncodingError(urllib3.exceptions.ProtocolError(
    'Connection broken: IncompleteRead(10 bytes read, 90 more expected)', http.client.IncompleteRead(b'x' * 10, 90)))
UNDECODABLE = requests.exceptions.ContentDecodingError('bad gzip')
RAW_INCOMPLETE = http.client.IncompleteRead(b'', 5)


@pytest.mark.parametrize('method', ['GET', 'PATCH', 'DELETE', 'PUT'])
@pytest.mark.parametrize('status', [429, 503, 504])
def test_idempotent_methods_retry_throttling_and_unavailability(method, status):
    assert RetryPolicy().status_verdict(method, status) == RETRY


@pytest.mark.parametrize('status, verdict', [(429, RETRY), (503, UNKNOWN), (504, UNKNOWN), (500, FINAL), (201, FINAL)])
def test_post_503_504_is_outcome_unknown_429_is_retried(status, verdict):
    assert RetryPolicy().status_verdict('POST', status) == verdict


def test_the_caller_may_declare_a_post_idempotent():
    # a $batch of PATCH/DELETE only, or a token request
    assert RetryPolicy().status_verdict('POST', 503, idempotent=True) == RETRY
    assert RetryPolicy(statuses=(429, 500, 503, 504)).status_verdict('POST', 500, idempotent=True) == RETRY


@pytest.mark.parametrize('exc', [CONNECT_REFUSED, CONNECT_TIMEOUT], ids=['refused', 'connect-timeout'])
def test_a_post_that_never_left_is_retried(exc):
    assert never_sent(exc)
    assert RetryPolicy().error_verdict('POST', exc) == RETRY


@pytest.mark.parametrize('exc', [RESET, READ_TIMEOUT, CUT_SHORT, UNDECODABLE, RAW_INCOMPLETE],
                         ids=['reset', 'read-timeout', 'cut-short', 'undecodable', 'incomplete-read'])
def test_a_post_that_broke_after_sending_is_unknown_and_a_get_retried(exc):
    assert not never_sent(exc)
    assert RetryPolicy().error_verdict('POST', exc) == UNKNOWN
    assert RetryPolicy().error_verdict('GET', exc) == RETRY


def test_tls_failure_is_final():
    assert RetryPolicy().error_verdict('GET', requests.exceptions.SSLError('certificate verify failed')) == FINAL


def test_timed_out():
    assert timed_out(READ_TIMEOUT) and not timed_out(CONNECT_TIMEOUT) and not timed_out(RESET)


def test_budget_and_waits():
    policy = RetryPolicy(max_retries=2, clock=lambda: 1000.0)
    assert [policy.can_retry(n) for n in range(4)] == [True, True, False, False]
    assert RetryPolicy(max_retries=0).can_retry(0) is False
    assert policy.delay(0, '7') == 7.0
    assert policy.delay(0, email.utils.formatdate(1030, usegmt=True)) == pytest.approx(30.0)
    assert policy.delay(0, '100000') == 300.0
    for attempt in range(8):
        full = min(60.0, 2.0 ** attempt)
        assert full / 2 <= policy.delay(attempt, 'soon') <= full


def test_unknown_wait_is_bounded():
    policy = RetryPolicy()
    assert policy.unknown_wait(2) == 5.0
    assert policy.unknown_wait(30) == 30.0
    assert policy.unknown_wait(10000) == 120.0
