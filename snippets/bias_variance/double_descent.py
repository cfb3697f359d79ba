import numpy as np

# Regression on random ReLU features, fitted by minimum-norm least squares (no penalty),
# with more and more features. The test error peaks where #features = #training points.
rng = np.random.default_rng(0)
n_train, n_test, d, sigma, repeats = 40, 500, 5, 0.3, 30
feature_counts = [5, 10, 20, 30, 35, 40, 45, 50, 60, 80, 120, 200, 400, 800]
w_true = rng.normal(size=d) / np.sqrt(d)


def sample(n: int) -> tuple[np.ndarray, np.ndarray]:
    x = rng.normal(size=(n, d))
    return x, x @ w_true + rng.normal(0, sigma, n)


test_mse = np.zeros((repeats, len(feature_counts)))
test_mse_ridge = np.zeros_like(test_mse)  # the same fits with a small L2 penalty
ridge = 1e-2
for r in range(repeats):
    (x, y), (xt, yt) = sample(n_train), sample(n_test)
    projection = rng.normal(size=(d, max(feature_counts))) / np.sqrt(d)
    for j, p in enumerate(feature_counts):
        features, features_test = (
            np.maximum(x @ projection[:, :p], 0),
            np.maximum(xt @ projection[:, :p], 0),
        )
        coef = np.linalg.lstsq(features, y, rcond=None)[
            0
        ]  # the minimum-norm solution when p > n
        test_mse[r, j] = np.mean((features_test @ coef - yt) ** 2)
        coef = np.linalg.solve(
            features.T @ features + ridge * n_train * np.eye(p), features.T @ y
        )
        test_mse_ridge[r, j] = np.mean((features_test @ coef - yt) ** 2)
