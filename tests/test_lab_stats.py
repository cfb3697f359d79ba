import numpy as np
import pytest
from reglab import band, mean_ci, paired_diff
from scipy import stats


def test_mean_ci_matches_scipy_one_sample_t_interval():
    x = np.array([0.81, 0.79, 0.84, 0.80, 0.83, 0.78])
    ci = mean_ci(x)
    ref = stats.ttest_1samp(x, 0.0).confidence_interval(0.95)
    assert ci.mean == pytest.approx(x.mean())
    assert (ci.low, ci.high) == pytest.approx((ref.low, ref.high))
    assert ci.n == 6


def test_paired_diff_is_the_interval_of_per_seed_differences():
    a = np.array([0.70, 0.75, 0.72, 0.69, 0.74])
    b = a + np.array([0.05, 0.04, 0.06, 0.05, 0.03])
    d = paired_diff(a, b)
    ref = stats.ttest_rel(b, a).confidence_interval(0.95)
    assert (d.low, d.high) == pytest.approx((ref.low, ref.high))
    assert d.excludes_zero
    # Unpaired, the same data would not separate: pairing is what buys the precision.
    assert mean_ci(b).low < mean_ci(a).high


def test_interval_that_spans_zero_is_not_a_detected_difference():
    d = paired_diff([0.5, 0.6, 0.55], [0.52, 0.58, 0.56])
    assert d.low < 0 < d.high and not d.excludes_zero


def test_band_equals_mean_ci_column_by_column_and_skips_nan():
    rng = np.random.default_rng(0)
    curves = rng.normal(size=(5, 4))
    curves[0, 3] = np.nan  # a run that stopped early
    mean, low, high = band(curves)
    for col in range(4):
        ci = mean_ci(curves[~np.isnan(curves[:, col]), col])
        assert (mean[col], low[col], high[col]) == pytest.approx((ci.mean, ci.low, ci.high))


def test_fewer_than_two_values_is_an_error():
    with pytest.raises(ValueError, match="at least two"):
        mean_ci([1.0])
