import numpy as np

# A quadratic loss whose unconstrained minimum (the centre) lies outside both balls.
centre = np.array([1.6, 0.7])
A = np.array([[1.0, 0.4], [0.4, 0.6]])  # elongated, tilted contours


def loss(w: np.ndarray) -> np.ndarray:
    d = w - centre
    return np.einsum("...i,ij,...j->...", d, A, d)


# The constrained minimum lies on the boundary: search it densely.
angles = np.linspace(0, 2 * np.pi, 100_001)
circle = np.stack([np.cos(angles), np.sin(angles)], axis=1)  # ||w||_2 = 1
diamond = circle / np.abs(circle).sum(axis=1, keepdims=True)  # ||w||_1 = 1
w_l2 = circle[np.argmin(loss(circle))]
w_l1 = diamond[np.argmin(loss(diamond))]
