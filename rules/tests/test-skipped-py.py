import sys
import unittest

import pytest


# ruleid: test-skipped-py
@pytest.mark.skip(reason="flaky on CI")
def test_refund_times_out():
    assert refund(timeout=0.01) is None


# ruleid: test-skipped-py
@pytest.mark.skipif(True, reason="payments sandbox down")
def test_charge_declined():
    assert charge(card="4000000000000002") == "declined"


class OrderTests(unittest.TestCase):
    # ruleid: test-skipped-py
    @unittest.skip("TODO")
    def test_bad_input(self):
        self.assertRaises(ValueError, parse_order, "")


# ruleid: test-skipped-py
def test_upload_too_large():
    pytest.skip("later")
    assert upload(b"x" * 10_000_000).status_code == 413


# ok: test-skipped-py
@pytest.mark.skipif(sys.platform == "win32", reason="uses fork")
def test_worker_pool():
    assert pool_size() > 0


# ok: test-skipped-py
@pytest.mark.xfail(strict=True, reason="ISSUE-42: rounding")
def test_rounding():
    assert total([0.1, 0.2]) == 0.3


def test_optional_backend():
    redis = pytest.importorskip("redis")
    # ok: test-skipped-py
    assert redis is not None


def refund(timeout):
    return None


def charge(card):
    return "declined"


def parse_order(text):
    raise ValueError(text)


def upload(data):
    return None


def pool_size():
    return 1


def total(values):
    return sum(values)
