"""Published numbers the pages cite, in one place, with where each comes from.

The claim tests check that a page states them as published and that what the page derives
from them (a difference, a ratio) is computed correctly.
"""

# Zhang et al., "Understanding deep learning requires rethinking generalization", ICLR 2017,
# Table 1: Inception on CIFAR-10, test accuracy (%).
ZHANG_INCEPTION_NO_REGULARIZATION = 85.75
ZHANG_INCEPTION_CROP_AND_WEIGHT_DECAY = 89.05

# Ioffe & Szegedy, "Batch Normalization", ICML 2015, section 4.2.1: training steps to reach
# Inception's accuracy at the same learning rate.
IOFFE_INCEPTION_STEPS = 31e6
IOFFE_BN_BASELINE_STEPS = 13.3e6

# Ioffe & Szegedy, section 4.2.1: BN-x5 reached Inception's accuracy in 14 times fewer
# steps, with 5 times the learning rate (and other changes besides BN).
IOFFE_BN_X5_FEWER_STEPS = 14
IOFFE_BN_X5_LEARNING_RATE_FACTOR = 5

# Prechelt, "Early Stopping - But When?", 1998: over 1296 runs, slower criteria gained about
# 4% in generalization for about 4 times the training time.
PRECHELT_RUNS = 1296
PRECHELT_GENERALIZATION_GAIN_PERCENT = 4
PRECHELT_TRAINING_TIME_FACTOR = 4


def claim_text(claim_id: str) -> str:
    """The marked sentence ``claim_id`` as written on its page."""
    import claim_registry  # hooks/, on the path through conftest

    (claim,) = [c for c in claim_registry.claims() if c.id == claim_id]
    return claim.text


# Greydanus & Kobak, "Scaling down deep learning", ICML 2024 (arXiv 2011.14439), Table 1:
# MNIST-1D test accuracy, mean and SD over 3 runs (%), as published and with the 40
# positions shuffled.
MNIST1D_TABLE1 = {
    "logistic regression": (32, 1),
    "MLP": (68, 2),
    "CNN": (94, 2),
    "MLP, positions shuffled": (68, 2),
    "CNN, positions shuffled": (56, 2),
}
MNIST1D_TABLE1_RUNS = 3
