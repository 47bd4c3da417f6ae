"""The signing helper (index.build.signer): the signatures the parent would compute, from a
fresh interpreter that imports neither Whoosh nor the caller's script, and one line when it dies."""

from __future__ import annotations

import os
import signal
import sys

import numpy as np
import pytest

from index.build import signer as signer_module
from index.build.copies import CopyFinder, CopySettings
from index.build.signer import Signer
from index.errors import BuildFailed
from index.ingest.duplicates import body_key

# Fictional texts written for these tests: long enough to sign, one too short, one missing.
LONG = " ".join(f"كلمة{n} في خبر عن الطريق الجديد رقم {n % 7}" for n in range(40))
OTHER = " ".join(f"تقرير{n} عن موسم الأمطار في الوادي {n % 5}" for n in range(40))
BODIES = [LONG, "قصير جدا", None, OTHER] * 100  # more blocks than are sent ahead (signer.AHEAD)


def test_the_helper_signs_as_the_parent_would():
    settings = CopySettings()
    finder = CopyFinder(settings)
    signer = Signer(settings)
    try:
        got = list(signer.ahead(range(len(BODIES)), lambda n: BODIES[n]))
    finally:
        signer.close()
    assert len(BODIES) > (signer_module.AHEAD + 1) * signer_module.BLOCK
    assert [item for item, _ in got] == list(range(len(BODIES)))
    for n, signed in got:
        body = BODIES[n]
        if body is None:
            assert signed is None
            continue
        signature, key = signed
        assert key == body_key(body)  # the duplicate key, from the same words
        expected = finder.signature(body)
        if expected is None:
            assert signature is not None and len(signature) == 0  # too short: an empty signature
        else:
            assert np.array_equal(signature, expected)
    assert signer.process.returncode == 0


@pytest.mark.skipif(not os.path.exists("/proc/self/cmdline"), reason="reads the helper's command line from /proc (Linux)")
def test_the_helper_is_a_fresh_interpreter_in_its_own_session():
    signer = Signer(CopySettings())
    try:
        list(signer.ahead([LONG], lambda body: body))
        with open(f"/proc/{signer.process.pid}/cmdline", "rb") as cmdline:
            argv = cmdline.read().split(b"\0")
        assert argv[0] == sys.executable.encode() and argv[1] == b"-c"  # not a fork of the parent
        assert b"index.build.signer" in argv[2]
        assert os.getpgid(signer.process.pid) != os.getpgid(0)  # Ctrl-C at the terminal is the parent's
    finally:
        signer.close()


def test_a_helper_that_dies_is_one_line_and_no_hang():
    signer = Signer(CopySettings())
    os.kill(signer.process.pid, signal.SIGKILL)
    signer.process.wait()
    with pytest.raises(BuildFailed, match=signer_module.HELPER_DIED):
        list(signer.ahead([LONG] * (3 * signer_module.BLOCK), lambda body: body))
    assert signer.process.poll() is not None


def test_an_error_in_the_helper_comes_back_as_its_message():
    signer = Signer(CopySettings())
    with pytest.raises(BuildFailed, match="TypeError"):
        list(signer.ahead([LONG, 17], lambda body: body))  # 17 is not a text
    assert signer.process.poll() is not None
