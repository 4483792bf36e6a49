"""
Compress a teacher to a budget
==============================

What is the smallest student that keeps 99% of the teacher's accuracy?
:class:`~skdistill.CompressedClassifierCV` answers in one ``fit``:
it fits the teacher once per fold, distils a ladder of students of growing
size from it, scores each one by cross-validation beside its hard-label
twin (the same student trained on the labels alone), measures its size and
prediction time, and keeps the smallest student within the budget. This
example runs it on scikit-learn's embedded breast-cancer dataset (no
download) with two ladders: decision trees of depth 1 to 6, and LightGBM
models of 2 to 32 trees of 4 leaves.
"""

# %%
# Two ladders of students
# -----------------------
# :func:`~skdistill.compress.default_ladder` builds the ladders the search
# tries by default (44 students); we keep the first rungs of two of them.
# Each ladder is climbed from its smallest student, and left once two
# students in a row fail to improve on the best score before them
# (``patience=2``).
import matplotlib.pyplot as plt
import pandas as pd
from lightgbm import LGBMClassifier
from sklearn.datasets import load_breast_cancer
from sklearn.model_selection import train_test_split

from skdistill.compress import CompressedClassifierCV, default_ladder
from skdistill.plotting import CompressionDisplay

X, y = load_breast_cancer(return_X_y=True)
X_train, X_test, y_train, y_test = train_test_split(
    X, y, test_size=0.3, stratify=y, random_state=0
)
ladders = default_ladder(X_train, y_train, random_state=0)
students = {
    "tree": ladders["tree"][:6],
    "lgbm_4_leaves": ladders["lgbm_4_leaves"][:5],
}
for ladder, rungs in students.items():
    print(ladder, [name for name, _ in rungs])

# %%
# The search, with a budget
# -------------------------
# ``keep=0.99``: the chosen student must score at least 99% of the teacher's
# cross-validated accuracy, and it is the smallest (by pickled size) that
# does. One timed batch per prediction time is enough here
# (``latency_repeats=1``).
teacher = LGBMClassifier(n_estimators=50, verbose=-1, n_jobs=1, random_state=0)
search = CompressedClassifierCV(
    teacher,
    students,
    keep=0.99,
    cv=3,
    latency_repeats=1,
    random_state=0,
).fit(X_train, y_train)
print(
    f"teacher: accuracy {search.teacher_score_:.3f} (cross-validated), "
    f"teacher fits: {search.n_teacher_fits_}"
)
print(f"floor: {search.min_score_:.3f}")
print(f"students tried: {len(search.cv_results_['params'])}")
print("left untried:", search.skipped_)

# %%
# The size frontier
# -----------------
# ``cv_results_`` has one row per student tried; ``frontier_["size"]`` lists
# the students that no other beats on accuracy and size at once, smallest
# first. Beside each distilled student, the accuracy of its hard-label twin:
# distillation does not win everywhere, and this column shows where it
# does.
results = pd.DataFrame(search.cv_results_)
frontier = results.iloc[search.frontier_["size"]]
table = pd.DataFrame(
    {
        "student": frontier["student_name"],
        "accuracy": frontier["mean_test_score"],
        "hard-label twin": frontier["mean_hard_label_score"],
        "size (KB)": frontier["size_bytes"] / 1000,
        "ONNX (KB)": frontier["onnx_size_bytes"] / 1000,
        "parameters": frontier["n_parameters"],
        "µs, one row": frontier["predict_time_1row"] * 1e6,
    }
)
teacher_row = search.teacher_footprint_
table.loc["teacher"] = [
    "teacher (50 trees)",
    search.teacher_score_,
    float("nan"),
    teacher_row["size_bytes"] / 1000,
    teacher_row["onnx_size_bytes"] / 1000,
    teacher_row["n_parameters"],
    teacher_row["predict_time_1row"] * 1e6,
]
print(table.round(3).to_string())

# %%
# Accuracy against size and against latency
# -----------------------------------------
# :meth:`~skdistill.plotting.CompressionDisplay.from_search` draws every
# student tried (faint), the distilled students' frontier and their
# hard-label twins' frontier as step lines, the teacher, the chosen student
# (a star) and the budget's floor (the horizontal line). The time of one row
# is that of Python's ``predict`` on one thread: for a small model it is
# mostly the cost of the call itself. The axes start at 0.85: the 2-tree
# LightGBM student (accuracy 0.63) is below them.
fig, (by_size, by_latency) = plt.subplots(1, 2, figsize=(12, 5))
CompressionDisplay.from_search(search, cost="size", annotate=False, ax=by_size)
CompressionDisplay.from_search(search, cost="latency", annotate=False, ax=by_latency)
for ax, title in [(by_size, "pickled size"), (by_latency, "time of one row")]:
    ax.set_title(f"Accuracy against {title}")
    ax.set_ylim(0.85, 0.99)
    ax.legend(loc="lower right", fontsize="small")
fig.tight_layout()

# %%
# The chosen student
# ------------------
# It was distilled again from a teacher fit on all training rows:
# ``best_estimator_`` is that :class:`~skdistill.DistilledClassifier`, and
# ``student_`` the model to ship. On rows neither saw, it is compared with
# the teacher it was distilled from (171 rows: a point of accuracy is less
# than two rows, so small gaps either way are noise).
chosen = search.best_index_
print(f"chosen: {search.cv_results_['student_name'][chosen]}")
print(f"student shipped: {search.student_!r}")
footprint = search.best_footprint_
print(
    f"size {footprint['size_bytes'] / 1000:.1f} KB against "
    f"{search.teacher_footprint_['size_bytes'] / 1000:.1f} KB for the teacher "
    f"({search.teacher_footprint_['size_bytes'] / footprint['size_bytes']:.1f}x "
    "smaller)"
)
print(
    f"held-out accuracy: student {search.score(X_test, y_test):.3f}, "
    f"teacher {search.teacher_.score(X_test, y_test):.3f}"
)
