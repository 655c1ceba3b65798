"""The trained half of the crisis screen: a linear model over word and character n-grams.

The rules (``screen.py``) are precise but only know the wording they were written for. This
model is learned from the labelled corpus in ``data/safety/`` and reads wording it has never
seen: misspellings and slang share character n-grams with the words they stand for, and
indirect messages ("gave my dog to my sister and wrote everyone a letter") share words with
the many ways the corpus says the same thing.

Features are hashed (no vocabulary to store), weighted by inverse document frequency and
fed to logistic regressions: one-vs-rest over the five labels, and one for imminence (an
attempt in progress, a partner at the door). Long messages are also scored window by window, so a
crisis sentence buried in a long vent is not diluted by everything around it. Parameters are
saved as NumPy arrays and JSON: no pickle, so a model file cannot run code when loaded.

Two additions chosen by leave-one-round-out cross-validation (``bench/crisis_cv.py``): the
rules' reading of the text is a feature (a token per category the rules found, or "none"),
so the model learns when to trust a rule hit instead of the rules simply overriding it; and
each feature is scaled by how strongly it separates crisis from none in the corpus (a
naive-Bayes log-count ratio, blended half-and-half with 1: "NB-SVM").
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Dict, List, Optional, Sequence, Tuple

import numpy as np

from bot.safety import rule_reader
from bot.safety.normalise import normalise

NONE = "none"
UNCLEAR = "unclear"
CRISIS_LABELS: Tuple[str, ...] = ("suicide", "self_harm", "danger")
LABELS: Tuple[str, ...] = (NONE, UNCLEAR, *CRISIS_LABELS)

FORMAT = 2
PARAMS_FILE = "crisis_classifier.npz"
CONFIG_FILE = "crisis_classifier.json"

DEFAULT_CONFIG: Dict[str, float] = {
    "word_features": 2**18,
    "char_features": 2**18,
    # Logistic regression by stochastic gradient descent: as good as a full solver on this
    # corpus (measured on the round-1 blind set) and ~50x faster to train (2 s, not 100 s).
    "alpha": 1e-6,
    "imminent_alpha": 1e-4,
    "epochs": 30,
    # Messages longer than this many words are also scored in overlapping windows.
    "window_words": 28,
    "window_step": 14,
    # Blend of the naive-Bayes feature scaling with 1 (0 switches it off).
    "nb_share": 0.5,
    # The rules' category as a feature (1) or not (0).
    "rule_features": 1,
}

# The rules' reading of a normalised text: a crisis category or None.
RuleReader = Callable[[str], Optional[str]]


@dataclass(frozen=True)
class Scores:
    """The model's reading of one text.

    Attributes:
        probabilities: One probability per label in :data:`LABELS` (they sum to 1).
        imminent: Probability that the danger is happening now (attempt, partner at the door).
    """

    probabilities: Dict[str, float]
    imminent: float = 0.0

    @property
    def crisis(self) -> float:
        """Probability of suicide, self-harm or danger together."""
        return sum(self.probabilities.get(label, 0.0) for label in CRISIS_LABELS)

    @property
    def risk(self) -> float:
        """Probability of a crisis or an unclear message: anything worth asking about."""
        return self.crisis + self.probabilities.get(UNCLEAR, 0.0)

    @property
    def category(self) -> str:
        """The most likely crisis category (whatever the crisis probability is)."""
        return max(CRISIS_LABELS, key=lambda label: self.probabilities.get(label, 0.0))


NO_SCORES = Scores({label: (1.0 if label == NONE else 0.0) for label in LABELS})


def _vectorizers(config: Dict[str, float]) -> Tuple[object, object]:
    from sklearn.feature_extraction.text import HashingVectorizer

    common = {"alternate_sign": False, "norm": None, "lowercase": True, "dtype": np.float32}
    words = HashingVectorizer(
        analyzer="word",
        ngram_range=(1, 2),
        token_pattern=r"(?u)\b\w+\b|[^\w\s]",
        n_features=int(config["word_features"]),
        **common,
    )
    chars = HashingVectorizer(
        analyzer="char_wb", ngram_range=(2, 5), n_features=int(config["char_features"]), **common
    )
    return words, chars


def windows(text: str, size: int, step: int) -> List[str]:
    """The text itself, plus overlapping word windows when it is longer than ``size`` words."""
    words = text.split()
    if len(words) <= size:
        return [text]
    starts = range(0, max(1, len(words) - size + step), step)
    return [text, *(" ".join(words[start : start + size]) for start in starts)]


class CrisisClassifier:
    """Scores texts with the trained model. Build with :meth:`fit` or :meth:`load`."""

    def __init__(self, params: Dict[str, np.ndarray], config: Dict[str, float]) -> None:
        """Wraps trained parameters (see :meth:`fit` for what they hold)."""
        self._params = params
        self._config = {**DEFAULT_CONFIG, **config}
        self._words, self._chars = _vectorizers(self._config)
        # Features (1 x 500k, sparse) times a contiguous (500k x 5) matrix: with a transposed
        # view scipy would copy all 10 MB of weights on every message.
        coef = params.get("coef")
        self._coef_t = np.ascontiguousarray(coef.T) if coef is not None else None

    # --- scoring ---------------------------------------------------------------------------

    def score(self, text: str, rules: Optional[RuleReader] = None) -> Scores:
        """Scores one text; for a long text, the window that reads most like a crisis.

        Args:
            text: The message.
            rules: Reads a normalised text (or window) with the rules; the spaCy screen
                when None.
        """
        return self.score_many([text], rules)[0]

    def score_many(
        self, texts: Sequence[str], rules: Optional[RuleReader] = None
    ) -> List[Scores]:
        """Scores several texts at once (one matrix product for all their windows)."""
        size, step = int(self._config["window_words"]), int(self._config["window_step"])
        pieces: List[str] = []
        owners: List[int] = []
        for index, text in enumerate(texts):
            for piece in windows(normalise(text or ""), size, step):
                pieces.append(piece)
                owners.append(index)
        if not pieces:
            return []
        probabilities, imminent = self._predict(self._with_rules(pieces, rules))
        best: Dict[int, int] = {}
        crisis = probabilities[:, 2:].sum(axis=1) + 0.5 * probabilities[:, 1]
        for row, owner in enumerate(owners):
            if owner not in best or crisis[row] > crisis[best[owner]]:
                best[owner] = row
        return [
            Scores(
                {label: float(probabilities[best[i], j]) for j, label in enumerate(LABELS)},
                float(imminent[best[i]]),
            )
            for i in range(len(texts))
        ]

    def _with_rules(self, texts: Sequence[str], rules: Optional[RuleReader]) -> List[str]:
        """Each normalised text followed by the token of what the rules found in it."""
        if not self._config.get("rule_features"):
            return list(texts)
        reader = rules or rule_category
        return [f"{text} {rule_tokens(reader(text))}" for text in texts]

    def _features(self, texts: Sequence[str]) -> "object":
        from scipy.sparse import hstack
        from sklearn.preprocessing import normalize

        matrix = hstack([self._words.transform(texts), self._chars.transform(texts)]).tocsr()
        # Each stored value times its column's IDF: O(stored values), where a broadcast
        # multiply would make a dense row of 500k columns per message.
        idf = self._params["idf"]
        weights = idf[matrix.indices] if idf.shape[0] == matrix.shape[1] else idf[0]
        matrix.data = (np.log1p(matrix.data) * weights).astype(np.float32)
        scale = self._params.get("nb_weights")
        if scale is not None and scale.shape[0] == matrix.shape[1]:
            matrix = normalize(matrix)
            matrix.data = matrix.data * scale[matrix.indices]
        return normalize(matrix)

    def _predict(self, texts: Sequence[str]) -> Tuple[np.ndarray, np.ndarray]:
        features = self._features(texts)
        logits = np.asarray(features @ self._coef_t) + self._params["intercept"]
        # One-vs-rest models: each label's own sigmoid, normalised to sum to one.
        probabilities = _sigmoid(logits)
        probabilities /= np.maximum(probabilities.sum(axis=1, keepdims=True), 1e-12)
        imminent_logit = np.asarray(features @ self._params["imminent_coef"]).ravel()
        imminent = _sigmoid(imminent_logit + self._params["imminent_intercept"][0])
        return probabilities, imminent

    # --- training --------------------------------------------------------------------------

    @classmethod
    def fit(
        cls,
        texts: Sequence[str],
        labels: Sequence[str],
        imminent: Sequence[bool],
        config: Optional[Dict[str, float]] = None,
        weights: Optional[Sequence[float]] = None,
        rules: Optional[RuleReader] = None,
    ) -> "CrisisClassifier":
        """Learns the model from labelled texts.

        Args:
            texts: The messages.
            labels: One of :data:`LABELS` per message.
            imminent: Per message, whether the danger is happening now (crisis texts only).
            config: Overrides for :data:`DEFAULT_CONFIG`.
            weights: How much each message counts (default 1 each).
            rules: Reads a normalised text with the rules (the spaCy screen when None).
        """
        config = {**DEFAULT_CONFIG, **(config or {})}
        unknown = set(labels) - set(LABELS)
        if unknown:
            raise ValueError(f"unknown labels in the corpus: {sorted(unknown)}")
        model = cls({"idf": np.ones(1, dtype=np.float32)}, config)
        normalised = model._with_rules([normalise(text) for text in texts], rules)
        model._params["idf"] = model._idf(normalised)
        targets = np.array([LABELS.index(label) for label in labels])
        if float(config["nb_share"]) > 0:
            model._params["nb_weights"] = _nb_weights(
                model._features(normalised), targets, float(config["nb_share"])
            )
        features = model._features(normalised)
        # Balanced weights: the corpus has far more of some labels than others, and a
        # missed crisis costs more than a check-in question.
        sample_weight = np.asarray(weights if weights is not None else [1.0] * len(texts))
        main = _logistic(config["alpha"], config["epochs"]).fit(
            features, targets, sample_weight=sample_weight
        )
        imminent_coef, imminent_intercept = _fit_imminence(features, targets, imminent, config)
        # A label with no examples gets a row that never wins (a corpus may lack one).
        coef = np.zeros((len(LABELS), features.shape[1]), dtype=np.float32)
        intercept = np.full(len(LABELS), -30.0, dtype=np.float32)
        rows = main.coef_ if len(main.classes_) > 2 else np.vstack([-main.coef_, main.coef_])
        offsets = main.intercept_ if len(main.classes_) > 2 else np.array(
            [-main.intercept_[0], main.intercept_[0]]
        )
        for row, label_index in enumerate(main.classes_):
            coef[label_index], intercept[label_index] = rows[row], offsets[row]
        model._coef_t = np.ascontiguousarray(coef.T)
        model._params.update(
            coef=coef,
            intercept=intercept,
            imminent_coef=imminent_coef,
            imminent_intercept=imminent_intercept,
        )
        return model

    def _idf(self, texts: Sequence[str]) -> np.ndarray:
        from scipy.sparse import hstack

        matrix = hstack([self._words.transform(texts), self._chars.transform(texts)]).tocsc()
        document_frequency = np.diff(matrix.indptr).astype(np.float32)
        return (np.log((1 + len(texts)) / (1 + document_frequency)) + 1).astype(np.float32)

    # --- persistence -----------------------------------------------------------------------

    def save(self, directory: Path) -> None:
        """Writes the parameters (NumPy arrays) and config (JSON) into ``directory``."""
        directory.mkdir(parents=True, exist_ok=True)
        np.savez_compressed(directory / PARAMS_FILE, **self._params)
        meta = {"format": FORMAT, "labels": list(LABELS), "config": self._config}
        (directory / CONFIG_FILE).write_text(json.dumps(meta, indent=1), encoding="utf8")

    @classmethod
    def load(cls, directory: Path) -> "CrisisClassifier":
        """Reads a model written by :meth:`save` (arrays only: ``allow_pickle=False``)."""
        meta = json.loads((directory / CONFIG_FILE).read_text(encoding="utf8"))
        if meta.get("format") != FORMAT or tuple(meta.get("labels", ())) != LABELS:
            raise ValueError(f"{directory} holds a crisis model of another format")
        with np.load(directory / PARAMS_FILE, allow_pickle=False) as arrays:
            params = {name: arrays[name] for name in arrays.files}
        return cls(params, meta["config"])


def rule_category(normalised: str) -> Optional[str]:
    """What the rules (or their keyword stand-in) find in a text: a category or None."""
    return rule_reader.read(normalised).category


def rule_tokens(category: Optional[str]) -> str:
    """The feature tokens for the rules' finding (words unlike any real word)."""
    if category is None:
        return "zzrulenone"
    return f"zzrule{category.replace('_', '')} zzruleany"


def _nb_weights(features: "object", targets: np.ndarray, share: float) -> np.ndarray:
    """Per feature: (1 - share) + share * |log-count ratio| of crisis vs none, mean 1."""
    present = features.copy()  # type: ignore[attr-defined]
    present.data[:] = 1.0
    crisis = np.asarray(present[targets >= 2].sum(axis=0)).ravel() + 1.0
    harmless = np.asarray(present[targets == 0].sum(axis=0)).ravel() + 1.0
    ratio = np.abs(np.log((crisis / crisis.sum()) / (harmless / harmless.sum())))
    seen = np.asarray(present.sum(axis=0)).ravel() > 0
    ratio /= max(float(ratio[seen].mean()), 1e-6) if seen.any() else 1.0
    return ((1.0 - share) + share * ratio).astype(np.float32)


def _sigmoid(values: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-np.clip(values, -30.0, 30.0)))


def _logistic(alpha: float, epochs: float) -> "object":
    from sklearn.linear_model import SGDClassifier

    return SGDClassifier(
        loss="log_loss",
        alpha=float(alpha),
        max_iter=int(epochs),
        tol=None,
        class_weight="balanced",
        random_state=0,
    )


def _fit_imminence(
    features: "object", targets: np.ndarray, imminent: Sequence[bool], config: Dict[str, float]
) -> Tuple[np.ndarray, np.ndarray]:
    """Learns "happening now" from the crisis examples; never fires without examples."""
    rows = np.flatnonzero(targets >= 2)
    urgent = np.array([bool(imminent[row]) for row in rows])
    width = features.shape[1]  # type: ignore[attr-defined]
    if len(set(urgent.tolist())) < 2:
        return np.zeros(width, dtype=np.float32), np.array([-30.0], dtype=np.float32)
    model = _logistic(config["imminent_alpha"], config["epochs"])
    model.fit(features[rows], urgent)  # type: ignore[index,attr-defined]
    return model.coef_.ravel().astype(np.float32), model.intercept_.astype(np.float32)
