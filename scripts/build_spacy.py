"""Builds Harbor's offline spaCy pipeline and installs it as the package ``en_harbor``.

Official spaCy models are downloaded from GitHub, which is out of reach here, so Harbor
uses a blank English pipeline with the lookup lemmatizer from ``spacy-lookups-data``
(both from PyPI). Rasa stores only the pipeline's *name* in a trained model, so the
pipeline is installed into the virtualenv as a package: wherever the model is served,
``spacy.load("en_harbor")`` works.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

import spacy

PACKAGE_NAME = "harbor"  # spaCy prefixes the language: the package is en_harbor
VERSION = "0.1.0"


def build_pipeline(output_dir: Path) -> Path:
    """Saves a blank English pipeline with a lookup lemmatizer to ``output_dir``."""
    nlp = spacy.blank("en")
    nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
    nlp.initialize()
    nlp.meta["name"] = PACKAGE_NAME
    nlp.meta["version"] = VERSION
    nlp.meta["description"] = "Blank English tokenizer + lookup lemmatizer for Harbor (offline)."
    nlp.to_disk(output_dir)
    return output_dir


def package_and_install(model_dir: Path, work_dir: Path) -> None:
    """Turns the saved pipeline into an sdist and pip-installs it into this Python."""
    dist_dir = work_dir / "dist"
    dist_dir.mkdir()
    subprocess.run(
        [sys.executable, "-m", "spacy", "package", str(model_dir), str(dist_dir),
         "--name", PACKAGE_NAME, "--version", VERSION, "--force"],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    sdist = next(dist_dir.glob("**/dist/*.tar.gz"))
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps",
         "--no-build-isolation", "--force-reinstall", str(sdist)],
        check=True,
    )


def main() -> None:
    """Builds, packages and installs the pipeline, then checks it loads and lemmatizes."""
    with tempfile.TemporaryDirectory() as tmp:
        work_dir = Path(tmp)
        model_dir = build_pipeline(work_dir / "model")
        package_and_install(model_dir, work_dir)
    check = subprocess.run(
        [sys.executable, "-c",
         "import spacy; d = spacy.load('en_harbor')('he was texting me'); "
         "print(' '.join(t.lemma_ for t in d))"],
        check=True, capture_output=True, text=True,
    )
    print(f"en_harbor installed; lemmas: {check.stdout.strip()}")


if __name__ == "__main__":
    main()
