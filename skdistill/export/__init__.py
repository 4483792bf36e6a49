"""Ship the student: ONNX for runtimes, C for devices.

A fitted distiller carries its teacher; what a phone, a board or a service
without Python needs is the student alone. This module turns the student of
a fitted model (see :func:`student_pipeline`), with the preprocessing in
front of it, into:

- an ONNX model (:func:`to_onnx`), which `onnxruntime
  <https://onnxruntime.ai>`_ and other runtimes run, with
  :func:`onnx_inputs` to turn a table into its inputs;
- a self-contained C99 source (:func:`to_c`), with no dynamic allocation
  and no dependency beyond ``<math.h>``, for microcontrollers, with
  :func:`c_inputs` to turn a table into the rows its functions take.

ONNX needs the optional extra ``skdistill[export]`` (``skl2onnx``,
``onnxmltools``, ``onnxruntime``); C needs nothing beyond skdistill. See
the user guide's page "Deploying the student" for what each format
supports.
"""

from ._c import c_inputs, to_c
from ._onnx import onnx_inputs, to_onnx
from ._student import UnsupportedModelError, student_pipeline, teacher_pipeline

# Its public home, as the other public classes' (see skdistill/__init__.py).
UnsupportedModelError.__module__ = __name__

__all__ = [
    "UnsupportedModelError",
    "c_inputs",
    "onnx_inputs",
    "student_pipeline",
    "teacher_pipeline",
    "to_c",
    "to_onnx",
]
