import numpy as np

# How much does one example's normalised value depend on which examples share its batch?
rng = np.random.default_rng(0)
population = rng.normal(5.0, 3.0, size=100_000)
example = 8.0  # one fixed input, one standard deviation above the mean
jitter = {}
for batch_size in (8, 32, 128, 512):
    outputs = []
    for _ in range(2000):
        batch = np.append(rng.choice(population, batch_size - 1), example)
        outputs.append((example - batch.mean()) / np.sqrt(batch.var() + 1e-3))
    jitter[batch_size] = (float(np.mean(outputs)), float(np.std(outputs)))
