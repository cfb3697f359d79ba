import numpy as np
from reglab import DataSpec, load
from sklearn.linear_model import LogisticRegression, SGDClassifier

split = load(DataSpec(dataset="sparse-binary", n_train=400), seed=0)
x, y = split.x_train, split.y_train

# Coordinate / proximal methods produce exact zeros...
liblinear = LogisticRegression(
    l1_ratio=1.0, C=0.05, solver="liblinear", random_state=0
).fit(x, y)
# ...and so does SGD with the cumulative L1 penalty of Tsuruoka et al. (2009).
sgd = SGDClassifier(
    loss="log_loss", penalty="l1", alpha=0.01, max_iter=2000, tol=None, random_state=0
).fit(x, y)

# The regularization path: coefficients as the penalty weakens (C = 1 / lambda grows).
cs = np.logspace(-2.5, 0.5, 25)
path = np.array(
    [
        LogisticRegression(l1_ratio=1.0, C=c, solver="liblinear", random_state=0)
        .fit(x, y)
        .coef_[0]
        for c in cs
    ]
)
