"""Hypothesis profiles of the fuzz tests: ``ci`` (the default) and ``long``.

- ``ci``: derandomized (the same examples on every run), no deadline (a
  shared 2-core machine times fits unevenly), the explicit examples then
  generated ones, failures reported unshrunk, few enough examples that the
  whole ``tests/fuzz`` folder runs in under two minutes;
- ``long``: 20 times more examples, a random seed on every run, failures
  shrunk, the explicit examples (``@example``) left to ci, for a fuzzing
  session: ``pytest tests/fuzz --hypothesis-profile=long
  --hypothesis-show-statistics`` (or ``HYPOTHESIS_PROFILE=long``).

No example database is written (``database=None``): a failure prints the
``@reproduce_failure`` blob that replays it (``print_blob=True``).
(Hypothesis still keeps caches, and the long profile's patches of failing
examples, in a ``.hypothesis`` folder that it git-ignores itself.)

``--hypothesis-profile`` is applied by hypothesis when pytest starts, so the
profiles must be registered by then: they are when ``tests/fuzz`` (or a file
in it) is on the command line; with ``pytest tests``, use the environment
variable instead.
"""

import os

from hypothesis import Phase, settings

#: Examples of each test in the ci profile; the long profile runs 20 times more.
CI_EXAMPLES = 60

settings.register_profile(
    "ci",
    max_examples=CI_EXAMPLES,
    derandomize=True,
    deadline=None,
    print_blob=True,
    database=None,
    # No shrinking: a failure is reported as found (replay it with its blob,
    # or shrink it with the long profile), so that a regression does not
    # cost minutes of shrinking.
    phases=[Phase.explicit, Phase.generate],
)
settings.register_profile(
    "long",
    parent=settings.get_profile("ci"),
    max_examples=20 * CI_EXAMPLES,
    derandomize=False,
    # The explicit examples (known failures, once found) are the ci
    # profile's; a fuzzing session generates and shrinks, even while one of
    # them still fails.
    phases=[Phase.generate, Phase.target, Phase.shrink, Phase.explain],
)

# HYPOTHESIS_PROFILE picks the profile (ci by default); --hypothesis-profile,
# loaded by hypothesis's plugin after this file is read, overrides it.
if settings.get_current_profile_name() == "default":
    settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))
