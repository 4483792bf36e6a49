"""Data, models and helpers shared by the tests of the displays."""

from lightgbm import LGBMClassifier
from sklearn.datasets import make_classification, make_regression
from sklearn.model_selection import train_test_split

MATPLOTLIB_MISSING = (
    "requires matplotlib, which is not installed. "
    'Install it with: pip install "skdistill[plots]"'
)


def make_teacher():
    """A small LightGBM teacher."""
    return LGBMClassifier(n_estimators=10, verbose=-1, n_jobs=1, random_state=0)


def classification(n_classes=2):
    """X_train, X_test, y_train, y_test of a small classification task."""
    X, y = make_classification(
        n_samples=240,
        n_features=6,
        n_informative=4,
        n_classes=n_classes,
        random_state=0,
    )
    return train_test_split(X, y, random_state=0)


def regression():
    """X_train, X_test, y_train, y_test of a small regression task."""
    X, y = make_regression(n_samples=200, n_features=5, noise=10.0, random_state=0)
    return train_test_split(X, y, random_state=0)


def legend_texts(ax):
    """The texts of the legend of ``ax``."""
    return [text.get_text() for text in ax.get_legend().get_texts()]
