"""The laptop model that ``make bench`` uses to predict times on a CPU without AVX-512:
its sorting of perf's shared objects, its report parsing, its fit and its prediction.
Runs no profiler: the profiles are made up, so the fitted factors are known."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

import numpy as np
import pytest

SCRIPTS = Path(__file__).resolve().parent.parent / "scripts"
spec = importlib.util.spec_from_file_location("laptop_model", SCRIPTS / "laptop_model.py")
laptop_model = importlib.util.module_from_spec(spec)
sys.modules.setdefault("laptop_model", laptop_model)  # dataclasses look their module up there
spec.loader.exec_module(laptop_model)
VECTOR, RUNTIME, REST = laptop_model.KINDS


@pytest.mark.parametrize(("dso", "kind"), [
    ("[JIT] tid 25915", VECTOR),
    ("libscipy_openblas64_-32a4b2a6.so", VECTOR),
    ("libtensorflow_cc.so.2", RUNTIME),
    ("libtensorflow_framework.so.2", RUNTIME),
    ("_pywrap_tensorflow_internal.so", RUNTIME),
    ("libpython3.11.so.1.0", REST),
    ("[kernel.kallsyms]", REST),
    ("_multiarray_umath.cpython-311-x86_64-linux-gnu.so", REST),
    ("libc.so.6", REST),
])
def test_shared_objects_are_sorted_by_kind_of_work(dso, kind):
    assert laptop_model.kind_of(dso) == kind


def test_a_blank_shared_object_name_is_refused():
    with pytest.raises(ValueError, match="shared-object name"):
        laptop_model.kind_of("  ")


REPORT = """\
# Samples: 3K of event 'cpu-clock:ppp'
#
# Overhead  Shared Object
# ........  ...........................
#
    46.65%  libpython3.11.so.1.0
    26.69%  [JIT] tid 25915
     9.09%  [kernel.kallsyms]
     6.11%  libtensorflow_cc.so.2
     2.14%  libtensorflow_framework.so.2
     1.33%  libscipy_openblas-6cdc3b4a.so
"""


def test_report_shares_add_up_to_one_and_follow_the_lines():
    shares = laptop_model.shares_from_report(REPORT)
    whole = 46.65 + 26.69 + 9.09 + 6.11 + 2.14 + 1.33
    assert sum(shares.values()) == pytest.approx(1.0)
    assert shares[VECTOR] == pytest.approx((26.69 + 1.33) / whole)
    assert shares[RUNTIME] == pytest.approx((6.11 + 2.14) / whole)
    assert shares[REST] == pytest.approx((46.65 + 9.09) / whole)


def test_a_report_without_samples_is_an_error():
    with pytest.raises(ValueError, match="no samples"):
        laptop_model.shares_from_report("# Samples: 0\n#\n")


def _profile(seconds, vector, runtime):
    return laptop_model.Profile(seconds, {VECTOR: vector, RUNTIME: runtime, REST: 1 - vector - runtime})


FACTORS = {VECTOR: 2.5, RUNTIME: 1.2, REST: 1.6}


def test_prediction_scales_each_kind_of_work_by_its_factor():
    profile = _profile(10.0, 0.5, 0.1)
    assert laptop_model.predict(profile, FACTORS) == pytest.approx(10 * (0.5 * 2.5 + 0.1 * 1.2 + 0.4 * 1.6))


def test_prediction_needs_every_factor():
    with pytest.raises(ValueError, match="missing"):
        laptop_model.predict(_profile(1.0, 0.5, 0.1), {VECTOR: 1.0})


def test_fit_recovers_the_factors_that_made_the_laptop_times():
    rng = np.random.default_rng(0)
    profiles = [_profile(float(s), float(v), float(r))
                for s, v, r in zip(rng.uniform(5, 60, 9), rng.uniform(0, 0.6, 9), rng.uniform(0, 0.3, 9),
                                   strict=True)]
    laptop = [laptop_model.predict(p, FACTORS) for p in profiles]
    factors, held_out = laptop_model.fit(profiles, laptop)
    assert factors == pytest.approx(FACTORS, rel=1e-6)
    assert np.abs(held_out).max() < 1e-6


def test_leave_one_out_errors_show_a_run_the_model_cannot_explain():
    profiles = [_profile(10.0 + i, 0.1 * (i % 5), 0.05 * (i % 3)) for i in range(9)]
    laptop = [laptop_model.predict(p, FACTORS) for p in profiles]
    laptop[4] *= 1.5  # one laptop time that no set of factors gives
    _, held_out = laptop_model.fit(profiles, laptop)
    assert np.argmax(np.abs(held_out)) == 4 and abs(held_out[4]) > 0.2


def test_fit_needs_more_runs_than_factors():
    profiles = [_profile(10.0, 0.2, 0.1)] * 3
    with pytest.raises(ValueError, match="at least 4"):
        laptop_model.fit(profiles, [20.0] * 3)


def test_the_shipped_model_has_a_factor_for_each_kind_and_its_fit_errors():
    model = json.loads(laptop_model.MODEL_PATH.read_text())
    assert set(model["factors"]) == set(laptop_model.KINDS)
    assert all(value > 0 for value in model["factors"].values())
    rows = model["notebooks"]
    assert len(rows) >= len(laptop_model.KINDS) + 1
    for row in rows.values():
        profile = laptop_model.Profile(row["here_s"], row["shares"])
        assert laptop_model.predict(profile, model["factors"]) == pytest.approx(row["predicted_s"], rel=0.01)
