"""Selection on validation data, replayed early stopping and the convergence check."""

from __future__ import annotations

import numpy as np
import pytest
from reglab import tuning
from reglab.engine import RunResult
from reglab.experiment import Results


def _run(val_acc: list[float], test_acc: list[float], val_loss: list[float] | None = None) -> RunResult:
    n = len(val_acc)
    val_loss = val_loss or [1.0 - v for v in val_acc]
    history = {
        "loss": [0.5] * n,
        "accuracy": [0.9] * n,
        "val_loss": val_loss,
        "val_accuracy": val_acc,
        "test_loss": [0.5] * n,
        "test_accuracy": test_acc,
    }
    best = int(np.argmin(val_loss)) + 1
    return RunResult(history, {"accuracy": test_acc[-1]}, n, best, 0.01, 0.1)


def _flat(value: float, n: int = 10) -> list[float]:
    return [value] * n


def _results(arms: dict[str, list[RunResult]]) -> Results:
    seeds = len(next(iter(arms.values())))
    return Results("toy", arms, list(range(seeds)), 0)


def test_each_seed_takes_the_arm_its_validation_prefers_and_reads_its_test_score():
    res = _results(
        {
            "a": [_run(_flat(0.8), _flat(0.70)), _run(_flat(0.6), _flat(0.90))],
            "b": [_run(_flat(0.7), _flat(0.99)), _run(_flat(0.9), _flat(0.50))],
        }
    )
    tuned = tuning.tune(res, ["a", "b"])
    assert [c.arm for c in tuned.choices] == ["a", "b"]
    np.testing.assert_allclose(tuned.test, [0.70, 0.50])  # never the better test score
    assert tuned.runs_per_seed == 2


def test_a_tie_goes_to_the_first_arm_of_the_grid():
    res = _results({"a": [_run(_flat(0.8), _flat(0.1))] * 2, "b": [_run(_flat(0.8), _flat(0.9))] * 2})
    assert tuning.tune(res, ["a", "b"]).chosen() == ["a", "a"]


def test_replayed_early_stopping_restores_the_monitored_best_and_costs_no_runs():
    # val_loss is lowest at epoch 2; val_accuracy peaks at epoch 6.
    val_loss = [0.9, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0, 1.1, 1.2, 1.3]
    val_acc = [0.5, 0.6, 0.62, 0.64, 0.66, 0.80, 0.70, 0.70, 0.70, 0.70]
    test_acc = [0.4, 0.55, 0.6, 0.6, 0.6, 0.75, 0.7, 0.7, 0.7, 0.7]
    res = _results({"none": [_run(val_acc, test_acc, val_loss)] * 2})
    by_loss = tuning.tune(res, ["none"], stopping=[tuning.Stopping("val_loss", 3)])
    assert by_loss.choices[0].epoch == 2 and by_loss.choices[0].test == pytest.approx(0.55)
    both = tuning.tune(res, ["none"], stopping=tuning.stopping_grid((3, 5)))
    assert both.choices[0].epoch == 6 and both.choices[0].test == pytest.approx(0.75)
    assert both.choices[0].stopping == tuning.Stopping("val_accuracy", 3)
    assert both.runs_per_seed == 1


def test_an_arm_still_improving_at_the_end_of_its_budget_is_named():
    rising = [0.5 + 0.01 * i for i in range(20)]
    res = _results({"none": [_run(_flat(0.8, 20), _flat(0.8, 20))] * 2, "slow": [_run(rising, rising)] * 2})
    with pytest.raises(
        tuning.NotConverged, match=r"toy · slow: .* rose 4\.0 pp over the last 20% of 20 epochs"
    ):
        tuning.tune(res, ["none", "slow"])
    tuning.check_converged(res, ["none"])


def test_a_gain_under_the_tolerance_counts_as_flat():
    almost = [0.8] * 16 + [0.804] * 4
    res = _results({"none": [_run(almost, almost)] * 2})
    assert tuning.late_gain(res, "none") == pytest.approx(0.004)
    tuning.check_converged(res)


def test_unknown_or_empty_grids_fail_in_one_line():
    res = _results({"none": [_run(_flat(0.8), _flat(0.8))] * 2})
    with pytest.raises(tuning.config.ConfigError, match="no arm named 'dropout 0.5'"):
        tuning.tune(res, ["dropout 0.5"])
    with pytest.raises(tuning.config.ConfigError, match="empty grid"):
        tuning.tune(res, [])


def test_grid_names_each_strength():
    arms = tuning.grid("dropout {:g}", "dropout", [0.1, 0.25], batch_norm=False)
    assert list(arms) == ["dropout 0.1", "dropout 0.25"]
    assert dict(arms["dropout 0.25"].params) == {"dropout": 0.25, "batch_norm": False}


def test_epochs_to_reach_a_target_counts_steps_not_seconds():
    slow = [0.5, 0.6, 0.7, 0.8, 0.9, 0.9]
    fast = [0.8, 0.9, 0.9, 0.9, 0.9, 0.9]
    res = _results(
        {"none": [_run(fast, fast)] * 2, "dropout": [_run(slow, slow), _run(_flat(0.6, 6), _flat(0.6, 6))]}
    )
    assert tuning.common_target(res, ["none", "dropout"]) == pytest.approx(0.75 - 0.01)
    np.testing.assert_array_equal(tuning.epochs_to_reach(res, "none", 0.85), [2, 2])
    reached = tuning.epochs_to_reach(res, "dropout", 0.85)
    assert reached[0] == 5 and np.isnan(reached[1])


def test_choices_at_the_edge_of_the_grid_are_counted():
    res = _results({a: [_run(_flat(v), _flat(v))] * 2 for a, v in (("a", 0.7), ("b", 0.8), ("c", 0.9))})
    assert tuning.tune(res, ["a", "b", "c"]).at_edge == 2
    assert tuning.tune(res, ["a", "b"]).at_edge == 0


def test_converged_keeps_the_arms_check_converged_accepts():
    rising = [0.5 + 0.01 * i for i in range(20)]
    res = _results({"flat": [_run(_flat(0.8, 20), _flat(0.8, 20))] * 2, "slow": [_run(rising, rising)] * 2})
    assert tuning.converged(res, ["flat", "slow"]) == ["flat"]
