"""``skdistill export`` and ``skdistill fit --export``: the student as ONNX or C."""

import collections

import pytest
import skops.io as sio
from cli._helpers import (
    FAST,
    classification_table,
    files_in,
    fill_the_disk,
    last_line,
    regression_table,
    run,
    write,
)
from lightgbm import LGBMClassifier
from numpy.testing import assert_allclose, assert_array_equal
from sklearn.naive_bayes import GaussianNB
from sklearn.pipeline import Pipeline

from skdistill import DistilledClassifier
from skdistill.cli import main
from skdistill.cli._data import read_table
from skdistill.cli._export import REQUIRED_PACKAGES
from skdistill.cli._persist import load_bundle, make_bundle, save_bundle
from skdistill.export import UnsupportedModelError, student_pipeline, to_c
from skdistill.preprocessing import TableSchema, make_preprocessor

#: The models exported by the parity tests: the fit options of each.
MODELS = {
    "tree": ["--target", "label", "--drop", "id"],
    "logreg-student-only": [
        *["--target", "label", "--drop", "id", "--student", "logreg"],
        "--student-only",
    ],
    "lgbm-small-regression": ["--target", "price", "--student", "lgbm-small"],
}


@pytest.fixture(scope="module")
def models(tmp_path_factory):
    """Model files of a tree, a logistic-regression student alone and a regression.

    Each as ``(data, model)``; fitted once for the module, only read.
    """
    folder = tmp_path_factory.mktemp("export")
    classification = write(folder, classification_table(), "classification.csv")
    regression = write(folder, regression_table(), "regression.csv")
    result = {}
    for name, options in MODELS.items():
        data = regression if "regression" in name else classification
        model = folder / f"{name}.skops"
        code = main(
            [str(arg) for arg in ["fit", data, "--out", model, *options]] + FAST
        )
        assert code == 0
        result[name] = data, model
    return result


def _features(data, bundle):
    """The rows of DATA as the command line reads them: the model's columns."""
    return read_table(str(data))[bundle["features"]]


def _onnx_outputs(path, X):
    """Run the ONNX file ``path`` on the raw rows ``X`` with onnxruntime."""
    import onnx
    import onnxruntime

    from skdistill.export import onnx_inputs

    onnx_model = onnx.load(str(path))
    session = onnxruntime.InferenceSession(
        onnx_model.SerializeToString(), providers=["CPUExecutionProvider"]
    )
    names = [output.name for output in session.get_outputs()]
    return dict(zip(names, session.run(None, onnx_inputs(onnx_model, X)), strict=True))


@pytest.mark.parametrize("name", list(MODELS))
def test_onnx_export_matches_the_model(models, capsys, tmp_path, name):
    """The ONNX file gives the saved model's predictions, in onnxruntime.

    ONNX computes in float32: measured errors of 3e-8 (tree), 8e-8 (logistic
    regression) and 3e-7 (LightGBM regression, values up to 5).
    """
    data, model = models[name]
    out = tmp_path / "student.onnx"
    code, stdout, err = run(capsys, "export", model, "--format", "onnx", "--out", out)
    assert code == 0, err
    assert stdout == ""
    bundle = load_bundle(str(model))
    X = _features(data, bundle)
    outputs = _onnx_outputs(out, X)
    if bundle["task"] == "classification":
        assert_allclose(
            outputs["probabilities"], bundle["model"].predict_proba(X), atol=1e-5
        )
        assert_array_equal(outputs["label"].ravel(), bundle["model"].predict(X))
    else:
        assert_allclose(
            outputs["variable"].ravel(), bundle["model"].predict(X), atol=1e-5
        )


@pytest.mark.parametrize("name", list(MODELS))
def test_c_export_matches_the_model(models, capsys, tmp_path, name):
    """The C file, compiled with strict flags, gives the saved model's predictions.

    C computes in double: measured errors of 2e-16 at most.
    """
    from skdistill.export import c_inputs
    from skdistill.export._c_harness import (
        compile_harness,
        find_compiler,
        run_harness,
    )

    if find_compiler() is None:
        pytest.skip("no C compiler")
    data, model = models[name]
    out = tmp_path / "student.c"
    code, _, err = run(
        capsys, "export", model, "--format", "c", "--out", out, "--name", "student"
    )
    assert code == 0, err
    bundle = load_bundle(str(model))
    X = _features(data, bundle)
    harness = compile_harness(out.read_text(), tmp_path / "build", name="student")
    outputs, labels = run_harness(harness, c_inputs(bundle["model"], X))
    if bundle["task"] == "classification":
        assert_allclose(outputs, bundle["model"].predict_proba(X), rtol=0, atol=1e-12)
        classes = bundle["model"][-1].classes_
        assert_array_equal(classes[labels], bundle["model"].predict(X))
    else:
        assert_allclose(outputs, bundle["model"].predict(X), rtol=1e-12)


def test_export_says_what_it_wrote(fitted, capsys, tmp_path):
    """The file written, its size and the exported steps; nothing with --quiet."""
    _, model = fitted
    out = tmp_path / "student.c"
    code, stdout, err = run(capsys, "export", model, "--format", "c", "--out", out)
    assert code == 0, err
    assert stdout == ""
    assert err == (
        f"wrote the student of {model} (TableSchema -> ColumnTransformer -> "
        f"DecisionTreeClassifier) as C to {out} ({out.stat().st_size:,} bytes)\n"
    )
    source = out.read_text()
    assert "skdistill_model" in source
    code, stdout, err = run(
        capsys,
        *["export", model, "--format", "c", "--out", out, "--force", "-q"],
        *["--name", "churn"],
    )
    assert code == 0
    assert stdout == err == ""
    assert "churn" in out.read_text()
    assert "skdistill_model" not in out.read_text()


def test_export_refuses_an_existing_file_without_force(fitted, capsys, tmp_path):
    """An existing FILE is kept without --force, and replaced with it."""
    _, model = fitted
    out = tmp_path / "student.c"
    out.write_bytes(b"old")
    code, _, err = run(capsys, "export", model, "--format", "c", "--out", out)
    assert code == 2
    assert last_line(err) == (
        f"skdistill export: error: {out} exists; pass --force to overwrite it"
    )
    assert out.read_bytes() == b"old"
    code, _, err = run(
        capsys, "export", model, "--format", "c", "--out", out, "--force"
    )
    assert code == 0, err
    assert out.read_text().startswith("/*")


def test_export_never_overwrites_the_model(fitted, capsys, tmp_path, monkeypatch):
    """FILE naming MODEL (by another spelling) is refused even with --force, unread."""
    _, model = fitted
    copy = tmp_path / "model.skops"
    copy.write_bytes(model.read_bytes())
    monkeypatch.setattr(
        "skdistill.cli._export.load_bundle",
        lambda *args, **kwargs: pytest.fail("MODEL was read"),
    )
    (tmp_path / "sub").mkdir()
    out = tmp_path / "sub" / ".." / "model.skops"
    code, _, err = run(capsys, "export", copy, "--format", "c", "--out", out, "--force")
    assert code == 2
    assert last_line(err) == (
        f"skdistill export: error: --out: {out} is the same file as MODEL {copy}; "
        "write to another file (--force never overwrites an input)"
    )
    assert copy.read_bytes() == model.read_bytes()


def test_name_applies_to_c_only(fitted, capsys, tmp_path):
    """--name with --format onnx: a usage error, nothing written."""
    _, model = fitted
    out = tmp_path / "student.onnx"
    code, _, err = run(
        capsys, "export", model, "--format", "onnx", "--out", out, "--name", "churn"
    )
    assert code == 2
    assert last_line(err) == (
        "skdistill export: error: --name names the functions of C source; it does "
        "not apply to --format onnx"
    )
    assert files_in(tmp_path) == []


@pytest.mark.parametrize("name", ["2churn", "churn-model", "double", "_churn"])
def test_a_name_that_to_c_refuses(fitted, capsys, tmp_path, name):
    """--name is checked by to_c's rule before any work: its message, exit code 2."""
    _, model = fitted
    with pytest.raises(ValueError) as info:
        to_c(student_pipeline(load_bundle(str(model))["model"]), name=name)
    code, _, err = run(
        capsys,
        *["export", model, "--format", "c", "--out", tmp_path / "s.c"],
        f"--name={name}",
    )
    assert code == 2
    assert last_line(err) == f"skdistill export: error: argument --name: {info.value}"
    assert files_in(tmp_path) == []


def test_export_needs_a_known_format_and_out(capsys, tmp_path):
    """--format (onnx or c) and --out are required."""
    code, _, err = run(capsys, "export", "model.skops")
    assert code == 2
    assert "the following arguments are required: --format, --out" in err
    code, _, err = run(
        capsys, "export", "model.skops", "--format", "pmml", "--out", tmp_path / "x"
    )
    assert code == 2
    assert last_line(err).startswith(
        "skdistill export: error: argument --format: invalid choice: 'pmml' "
        "(choose from "
    )
    assert files_in(tmp_path) == []


def _naive_bayes_model_file(path):
    """A model file whose student is a naive Bayes classifier (not in C)."""
    table = classification_table()
    X, y = table[["x1", "x2", "color"]], table["label"].to_numpy()
    schema = TableSchema().fit(X)
    typed = schema.transform(X)
    bayes = GaussianNB()
    student = Pipeline(
        [("encode", make_preprocessor(bayes, typed, schema=schema)), ("model", bayes)]
    )
    distiller = DistilledClassifier(
        LGBMClassifier(n_estimators=5, n_jobs=1, verbose=-1), student
    )
    model = Pipeline([("schema", schema), ("distiller", distiller.fit(typed, y))])
    bundle = make_bundle(
        model, task="classification", target="label", features=list(X.columns)
    )
    save_bundle(bundle, str(path))
    return model


def test_export_an_unsupported_student(capsys, tmp_path):
    """A student the format cannot represent: the library's message, no traceback."""
    path = tmp_path / "bayes.skops"
    model = _naive_bayes_model_file(path)
    with pytest.raises(UnsupportedModelError) as info:
        to_c(student_pipeline(model))
    out = tmp_path / "bayes.c"
    code, stdout, err = run(capsys, "export", path, "--format", "c", "--out", out)
    assert code == 1
    assert stdout == ""
    assert err == (
        f"skdistill export: error: cannot export the student of {path} as C: "
        f"{info.value}\n"
    )
    assert "Traceback" not in err
    assert not out.exists()
    assert files_in(tmp_path) == ["bayes.skops"]


def test_export_refuses_untrusted_types(fitted, capsys, tmp_path):
    """MODEL holding a foreign type is refused unless --trust-untrusted-types."""
    _, model = fitted
    bundle = load_bundle(str(model))
    bundle["settings"]["note"] = collections.Counter("a foreign type")
    path = tmp_path / "untrusted.skops"
    sio.dump(bundle, path)
    out = tmp_path / "student.c"
    code, _, err = run(capsys, "export", path, "--format", "c", "--out", out)
    assert code == 1
    assert last_line(err).startswith(
        f"skdistill export: error: {path} holds types that skdistill does not "
        "trust: collections.Counter."
    )
    assert not out.exists()
    code, _, err = run(
        capsys,
        *["export", path, "--format", "c", "--out", out, "--trust-untrusted-types"],
    )
    assert code == 0, err
    assert out.exists()


def test_export_on_a_full_disk_leaves_nothing(fitted, capsys, tmp_path, monkeypatch):
    """A write that fails half-way: the old FILE as it was, no temporary file."""
    _, model = fitted
    out = tmp_path / "student.c"
    out.write_text("old")
    fill_the_disk(monkeypatch, limit=100)
    code, _, err = run(
        capsys, "export", model, "--format", "c", "--out", out, "--force"
    )
    assert code == 1
    assert last_line(err) == (
        f"skdistill export: error: cannot write {out}: No space left on device"
    )
    assert out.read_text() == "old"
    assert files_in(tmp_path) == ["student.c"]


# -- skdistill fit --export ------------------------------------------------------


def test_fit_export_writes_the_student_next_to_the_model(tmp_path, capsys):
    """fit --export onnx: MODEL's path with .onnx, the saved model's student."""
    data = write(tmp_path, classification_table())
    model = tmp_path / "churn.skops"
    code, out, err = run(
        capsys,
        *["fit", data, "--target", "label", "--drop", "id", "--out", model],
        *["--export", "onnx", "--n-estimators", "10", "--n-jobs", "1"],
    )
    assert code == 0, err
    assert "Distillation report" in out
    exported = tmp_path / "churn.onnx"
    assert sorted(files_in(tmp_path)) == ["churn.onnx", "churn.skops", "data.csv"]
    assert (
        f"exported its student (TableSchema -> ColumnTransformer -> "
        f"DecisionTreeClassifier) as ONNX to {exported} "
        f"({exported.stat().st_size:,} bytes)"
    ) in err
    bundle = load_bundle(str(model))
    X = _features(data, bundle)
    outputs = _onnx_outputs(exported, X)
    assert_allclose(
        outputs["probabilities"], bundle["model"].predict_proba(X), atol=1e-5
    )


def test_fit_export_c_to_a_named_file(tmp_path, capsys):
    """fit --export c --export-out FILE, with the student alone saved."""
    data = write(tmp_path, regression_table())
    model, exported = tmp_path / "price.skops", tmp_path / "device" / "price.c"
    exported.parent.mkdir()
    code, _, err = run(
        capsys,
        *["fit", data, "--target", "price", "--out", model, "--student", "ridge"],
        *["--export", "c", "--export-out", exported, "--student-only", *FAST],
    )
    assert code == 0, err
    bundle = load_bundle(str(model))
    assert bundle["contents"] == "student"
    assert "skdistill_model" in exported.read_text()


def test_fit_export_checks_its_destination_before_the_fit(
    tmp_path, capsys, monkeypatch
):
    """An existing --export destination without --force fails before any work."""
    data = write(tmp_path, classification_table())
    exported = tmp_path / "m.onnx"
    exported.write_bytes(b"old")
    monkeypatch.setattr(
        "skdistill.cli._fit.read_table", lambda path: pytest.fail("DATA was read")
    )
    code, out, err = run(
        capsys,
        *["fit", data, "--target", "label", "--out", tmp_path / "m.skops"],
        *["--export", "onnx"],
    )
    assert code == 2
    assert out == ""
    assert last_line(err) == (
        f"skdistill fit: error: {exported} exists; pass --force to overwrite it"
    )
    assert exported.read_bytes() == b"old"
    assert not (tmp_path / "m.skops").exists()


@pytest.mark.parametrize(
    "options, message, exit_code",
    [
        (
            ["--export", "c", "--export-out", "{tmp}/missing/m.c"],
            "no such directory: {tmp}/missing",
            1,
        ),
        (
            ["--export", "onnx", "--export-out", "{tmp}/sub/../m.skops"],
            "--export-out: {tmp}/sub/../m.skops is the model file (--out "
            "{tmp}/m.skops); give --export-out another file",
            2,
        ),
        (
            ["--export", "c", "--export-out", "{tmp}/data.csv", "--force"],
            "--export-out: {tmp}/data.csv is the same file as DATA {tmp}/data.csv; "
            "write to another file (--force never overwrites an input)",
            2,
        ),
        (
            ["--export-out", "{tmp}/m.c"],
            "--export-out needs --export onnx or --export c",
            2,
        ),
        (["--export", "pmml"], None, 2),
    ],
)
def test_fit_export_refusals(
    tmp_path, capsys, monkeypatch, options, message, exit_code
):
    """Unwritable or forbidden --export destinations: refused before any work."""
    data = write(tmp_path, classification_table())
    (tmp_path / "sub").mkdir()
    monkeypatch.setattr(
        "skdistill.cli._fit.read_table", lambda path: pytest.fail("DATA was read")
    )
    options = [option.format(tmp=tmp_path) for option in options]
    code, _, err = run(
        capsys,
        *["fit", data, "--target", "label", "--out", tmp_path / "m.skops", *options],
    )
    assert code == exit_code
    if message is None:  # argparse's own message
        assert "argument --export: invalid choice: 'pmml'" in err
    else:
        assert last_line(err) == f"skdistill fit: error: {message.format(tmp=tmp_path)}"
    assert sorted(files_in(tmp_path)) == ["data.csv", "sub"]


def test_fit_export_failure_keeps_the_model_and_the_report(
    tmp_path, capsys, monkeypatch
):
    """An export that fails after the fit: the model is saved, the report printed.

    The error says how to retry with ``skdistill export``; exit code 1.
    """

    def refuse(model, X_sample=None, *, name="skdistill_model"):
        raise UnsupportedModelError("SomeStudent: not in C. ONNX supports it.")

    monkeypatch.setattr("skdistill.export.to_c", refuse)
    data = write(tmp_path, classification_table())
    model, exported = tmp_path / "m.skops", tmp_path / "m.c"
    code, out, err = run(
        capsys,
        *["fit", data, "--target", "label", "--out", model, "--export", "c"],
        *FAST,
    )
    assert code == 1
    assert out.startswith("Distillation report (classification, 30 rows)")
    assert last_line(err) == (
        f"skdistill fit: error: saved the model to {model}, but cannot export the "
        f"student of {model} as C: SomeStudent: not in C. ONNX supports it.; once "
        f"that is fixed, run: skdistill export {model} --format c --out {exported}"
    )
    assert load_bundle(str(model))["target"] == "label"
    assert not exported.exists()


def test_fit_export_converter_error_keeps_the_report_and_names_a_stale_file(
    tmp_path, capsys, monkeypatch
):
    """A converter's own error (not skdistill's) after the fit, over an old export.

    The report is still printed, the model saved, and the message says that
    the export file left in place comes from an earlier run.
    """

    def fail(model, X_sample=None, *, name="skdistill_model"):
        raise RuntimeError("boom")

    monkeypatch.setattr("skdistill.export.to_c", fail)
    data = write(tmp_path, classification_table())
    model, exported = tmp_path / "m.skops", tmp_path / "m.c"
    exported.write_text("old")
    code, out, err = run(
        capsys,
        *["fit", data, "--target", "label", "--out", model, "--export", "c"],
        *["--force", *FAST],
    )
    assert code == 1
    assert out.startswith("Distillation report (classification, 30 rows)")
    assert last_line(err) == (
        f"skdistill fit: error: saved the model to {model}, but exporting its "
        f"student as C failed: RuntimeError: boom ({exported}, from an earlier run, "
        f"was left as it was); once that is fixed, run: skdistill export {model} "
        f"--format c --out {exported}"
    )
    assert exported.read_text() == "old"
    assert load_bundle(str(model))["target"] == "label"


def test_exported_student_is_the_saved_models(tmp_path, capsys):
    """fit --export writes the saved (refit) model's student, as export does."""
    data = write(tmp_path, classification_table())
    model = tmp_path / "m.skops"
    code, _, err = run(
        capsys,
        *["fit", data, "--target", "label", "--out", model, "--export", "c"],
        *["--refit-all", *FAST],
    )
    assert code == 0, err
    again = tmp_path / "again.c"
    code, _, err = run(capsys, "export", model, "--format", "c", "--out", again)
    assert code == 0, err
    assert again.read_bytes() == (tmp_path / "m.c").read_bytes()
    assert load_bundle(str(model))["training_rows"]["n_rows"] == 150  # refit


@pytest.mark.parametrize("command", ["export", "fit"])
def test_a_missing_package_fails_first(tmp_path, capsys, monkeypatch, command):
    """Without the ONNX packages: what to install, before MODEL or DATA is read."""
    monkeypatch.setitem(
        REQUIRED_PACKAGES, "onnx", ("onnx", "no_such_package_of_skdistill")
    )

    def unread(*args, **kwargs):
        pytest.fail("an input was read")

    monkeypatch.setattr("skdistill.cli._export.load_bundle", unread)
    monkeypatch.setattr("skdistill.cli._fit.read_table", unread)
    if command == "export":
        argv = ["export", "m.skops", "--format", "onnx", "--out", tmp_path / "m.onnx"]
    else:
        argv = ["fit", "d.csv", "--target", "y", "--out", tmp_path / "m.skops"]
        argv += ["--export", "onnx"]
    code, _, err = run(capsys, *argv)
    assert code == 1
    assert last_line(err) == (
        f"skdistill {command}: error: exporting as ONNX needs "
        "no_such_package_of_skdistill, which is not installed: pip install "
        '"skdistill[export]"'
    )
    assert files_in(tmp_path) == []


def test_export_a_column_named_like_an_output_is_a_clear_error(tmp_path, capsys):
    """A feature named "probabilities" cannot be an ONNX input: a CLIError, no
    library traceback or wording about X_sample's origin."""
    table = classification_table().rename(columns={"x2": "probabilities"})
    data = write(tmp_path, table)
    model = tmp_path / "m.skops"
    code, _, err = run(capsys, "fit", data, "--target", "label", "--out", model, *FAST)
    assert code == 0, err
    out = tmp_path / "m.onnx"
    code, _, err = run(capsys, "export", model, "--format", "onnx", "--out", out)
    assert code == 1
    assert last_line(err) == (
        f"skdistill export: error: cannot export the student of {model} as ONNX: "
        "the model's input has a column named 'probabilities', the name of an "
        "output of the ONNX model (label, probabilities), and ONNX names must be "
        "unique: rename the column in the table the model is fitted on (and in "
        "X_sample), then refit."
    )
    assert not out.exists()
