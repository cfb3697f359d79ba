import numpy as np

# A linear model with quadratic loss, L(w) = ||Xw - y||^2 / (2n), trained by plain
# gradient descent from w = 0: the one setting where early stopping provably acts like L2.
rng = np.random.default_rng(0)
n, d = 200, 20
X = rng.normal(size=(n, d)) * np.geomspace(
    0.05, 2.0, d
)  # directions of very different curvature
y = X @ rng.normal(size=d) + rng.normal(size=n)
H, g = X.T @ X / n, X.T @ y / n  # the Hessian, and the gradient at w = 0 (up to sign)
lr = 1.0 / np.linalg.eigvalsh(H).max()  # epsilon, the step size


def gradient_descent(steps: int) -> np.ndarray:
    w = np.zeros(d)
    for _ in range(steps):
        w -= lr * (H @ w - g)
    return w


def ridge(alpha: float) -> np.ndarray:
    """The minimiser of L(w) + alpha * ||w||^2 / 2."""
    return np.linalg.solve(H + alpha * np.eye(d), g)


w_full = ridge(0.0)
rows = []
for steps in (3, 10, 30, 100, 300, 1000, 3000):
    w_stop, w_l2 = gradient_descent(steps), ridge(1.0 / (lr * steps))
    rows.append(
        (
            steps,
            1.0 / (lr * steps),
            np.linalg.norm(w_stop - w_l2) / np.linalg.norm(w_l2),
            np.linalg.norm(w_stop) / np.linalg.norm(w_full),
            np.linalg.norm(w_l2) / np.linalg.norm(w_full),
        )
    )
