import re

import numpy as np
import pytest
from reglab import band, holm, mean_ci, paired_diff, versus_published
from reglab.stats import MeanCI
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


def test_holm_matches_the_step_down_procedure_by_hand():
    rng = np.random.default_rng(0)
    pairs = {
        i: (rng.normal(0, 1, 6), rng.normal(0, 1, 6) + shift) for i, shift in enumerate([0, 0.3, 1, 3, 5])
    }
    family = holm(pairs)
    p = np.array([stats.ttest_rel(b, a).pvalue for a, b in pairs.values()])
    order = np.argsort(p)
    by_hand = np.empty_like(p)
    running = 0.0
    for rank, i in enumerate(order):  # p_(k) * (m - k + 1), made monotone, capped at 1
        running = max(running, min(1.0, p[i] * (len(p) - rank)))
        by_hand[i] = running
    assert np.allclose([family[i].p for i in pairs], p)
    assert np.allclose([family[i].p_holm for i in pairs], by_hand)
    assert family[4].verdict == "helps" and not family[0].detected
    assert family[0].verdict in {"within ±1 pp", "inconclusive"}


def test_holm_makes_fewer_or_equal_verdicts_than_unadjusted_intervals():
    rng = np.random.default_rng(1)
    pairs = {i: (rng.normal(0, 1, 5), rng.normal(0, 1, 5) + 0.9) for i in range(20)}
    family = holm(pairs)
    adjusted = sum(c.detected for c in family.values())
    unadjusted = sum(c.diff.excludes_zero for c in family.values())
    assert adjusted < unadjusted  # the correction bites on 20 comparisons of 5 seeds
    for c in family.values():  # a CI that excludes zero is the unadjusted test at 5%
        assert c.diff.excludes_zero == (c.p < 0.05)


def test_an_undetected_difference_is_equivalent_only_inside_the_margin():
    from reglab.stats import Comparison

    assert Comparison(MeanCI(0.002, -0.006, 0.009, 5), 0.5, 0.9).verdict == "within ±1 pp"
    assert Comparison(MeanCI(0.002, -0.016, 0.020, 5), 0.5, 0.9).verdict == "inconclusive"
    assert Comparison(MeanCI(0.002, 0.001, 0.003, 5), 0.01, 0.04).verdict == "helps"


def test_holm_reads_a_constant_gap_as_certain_and_no_gap_as_nothing():
    family = holm({"same": ([1, 2, 3], [1, 2, 3]), "shifted": ([1, 2, 3], [0, 1, 2])})
    assert family["same"].p == 1.0 and family["same"].verdict == "within ±1 pp"
    assert family["shifted"].p == 0.0 and family["shifted"].verdict == "hurts"


def test_one_formatter_writes_levels_differences_and_ratios_in_the_site_format():
    level = MeanCI(0.75, 0.736, 0.764, 5)
    assert level.pct() == "75.0% (95% CI 73.6–76.4)"
    diff = MeanCI(0.048, 0.037, 0.060, 5)
    assert diff.pp() == "+4.8 pp (95% CI +3.7 to +6.0)"
    assert MeanCI(-0.014, -0.03, 0.001, 5).pp() == "-1.4 pp (95% CI -3.0 to +0.1)"
    assert MeanCI(1.69, 1.61, 1.78, 5).times() == "1.69× (95% CI 1.61–1.78)"
    assert MeanCI(-0.02, -0.05, 0.01, 5).fmt(2) == "-0.02 (95% CI -0.05 to 0.01)"


def test_nothing_rounds_to_a_negative_zero():
    tiny = MeanCI(-0.00001, -0.00004, -0.000001, 5)
    assert tiny.fmt(3) == "0.000"  # bounds that print the same are left out
    assert not re.search(r"-0\.0+\b(?![1-9])", tiny.pp() + tiny.delta(3))


def test_a_bound_near_zero_keeps_its_side_so_the_verdict_can_be_read():
    assert MeanCI(0.006, -0.0004, 0.012, 5).pp() == "+0.6 pp (95% CI -0.04 to +1.2)"
    assert MeanCI(0.011, 0.0003, 0.021, 5).pp() == "+1.1 pp (95% CI +0.03 to +2.1)"


def test_an_interval_of_zero_width_as_printed_is_left_out():
    every_seed = MeanCI(1.0, 1.0, 1.0, 5)
    assert every_seed.pct() == "100.0%"
    assert every_seed.fmt(0, scale=60) == "60"
    assert MeanCI(0.9999, 0.9996, 1.0003, 5).pct() == "100.0%"  # clipped to 100.0–100.0
    assert MeanCI(0.0, 0.0, 0.0, 5).pp() == "+0.0 pp" and MeanCI(0.0, 0.0, 0.0, 5).delta(3) == "+0.000"
    assert MeanCI(1.5, 1.5, 1.5, 5).times() == "1.50×"
    assert MeanCI(0.75, 0.7496, 0.7504, 5).pct() == "75.0%"  # narrower than the digits shown
    assert MeanCI(0.75, 0.7, 0.8, 5).pct() == "75.0% (95% CI 70.0–80.0)"  # a real interval stays


def test_a_share_interval_is_clipped_to_0_to_100_percent():
    assert MeanCI(0.999, 0.995, 1.002, 5).pct() == "99.9% (95% CI 99.5–100.0)"


def test_versus_published_is_welchs_interval_and_test_from_the_published_summary():
    """Checked against scipy's Welch test on samples with the published mean and SD."""
    ours = [0.60, 0.61, 0.60, 0.62, 0.61]
    got = versus_published({"MLP": (ours, 0.68, 0.02, 3), "same": (ours, 0.61, 0.01, 3)})
    published = np.array([0.66, 0.68, 0.70])  # mean 0.68, SD 0.02, n 3
    welch = stats.ttest_ind(ours, published, equal_var=False)
    ci = welch.confidence_interval()
    assert got["MLP"].p == pytest.approx(welch.pvalue)
    assert got["MLP"].diff.mean == pytest.approx(np.mean(ours) - 0.68)
    assert (got["MLP"].diff.low, got["MLP"].diff.high) == pytest.approx((ci.low, ci.high))
    assert got["same"].verdict == "inconclusive" and got["MLP"].verdict == "hurts"
    assert got["MLP"].p_holm == pytest.approx(min(1.0, 2 * got["MLP"].p))
