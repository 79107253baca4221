"""Test configuration: a deterministic hypothesis profile for CI.

``.ci/run`` sets ``REPM_HYPOTHESIS_PROFILE=ci`` so that a CI run explores the same examples every
time (a failure then reproduces and does not depend on luck); local runs keep hypothesis's random
exploration, which is how new counter-examples are found.
"""

from __future__ import annotations

import os

from hypothesis import settings

settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("REPM_HYPOTHESIS_PROFILE"):
    settings.load_profile(os.environ["REPM_HYPOTHESIS_PROFILE"])
