import numpy as np
from sklearn.linear_model import Ridge
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import PolynomialFeatures, StandardScaler

# A known truth, f(x) = sin(2 pi x), observed at 15 fixed inputs with Gaussian noise of
# known size. Each repeat draws fresh noise: a new training set from the same
# distribution.
rng = np.random.default_rng(0)
sigma, n_train, repeats, degree = 0.3, 15, 300, 12
x = np.linspace(0, 1, n_train)[:, None]
x_test = np.linspace(0.01, 0.99, 200)[:, None]
f_test = np.sin(2 * np.pi * x_test[:, 0])
lambdas = np.logspace(-10, 2, 13)

# Per lambda: bias^2, variance, noise, their sum, and the measured test MSE.
decomposition = []
for lam in lambdas:
    # One column per training set: Ridge fits every column independently, in one call.
    y = np.sin(2 * np.pi * x[:, 0])[:, None] + rng.normal(0, sigma, (n_train, repeats))
    model = make_pipeline(
        PolynomialFeatures(degree), StandardScaler(), Ridge(alpha=lam)
    )
    predictions = model.fit(x, y).predict(x_test).T  # shape (repeats, test points)
    y_new = f_test + rng.normal(0, sigma, predictions.shape)  # fresh noisy test labels
    bias2 = np.mean((predictions.mean(axis=0) - f_test) ** 2)
    variance = np.mean(predictions.var(axis=0))
    measured = np.mean((predictions - y_new) ** 2)
    decomposition.append(
        (lam, bias2, variance, sigma**2, bias2 + variance + sigma**2, measured)
    )
decomposition = np.array(decomposition)
