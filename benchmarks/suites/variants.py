"""Variants: online, mutual, born-again and multi-teacher distillation.

Each variant against its baseline, on the shared classification datasets
(at most 20,000 rows each, stratified subsample), over 3 stratified 70/30
splits: held-out accuracy and log-loss, mean ± standard deviation over the
splits, and wall time. Where a variant does not beat its baseline, the
tables say so. The models run with one thread each (LightGBM ``n_jobs=1``,
BLAS limited to one thread), so that times compare on this 2-core machine.
"""

from __future__ import annotations

from _common import intro
from _variants import born_again, mutual, online, teachers
from threadpoolctl import threadpool_limits

TITLE = "Variants: online, mutual, born-again and multi-teacher distillation"
SECTIONS = (online, mutual, born_again, teachers)


def run(ctx) -> str:
    parts = [intro(__doc__)]
    with threadpool_limits(limits=1, user_api="blas"):
        for module in SECTIONS:
            ctx.log(f"section {module.__name__.rsplit('.', 1)[-1]}")
            parts.append(module.section(ctx))
    return "\n\n".join(parts)
