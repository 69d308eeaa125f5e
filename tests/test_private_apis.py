"""What the project relies on in libraries' private APIs, pinned: each sits behind one small function
(its docstring says why the public API does not serve), and a library upgrade that changes it fails
here rather than silently in serving."""

from __future__ import annotations

import subprocess
import sys

from core.config import PROJECT_ROOT
from core.safety.detectors import DETECTORS
from core.safety.detectors.base import required_substrings


def test_required_substrings_reads_the_regex_parse_tree():
    """re._parser: literals, groups, alternation and repeats are read as the prefilter expects."""
    assert required_substrings(r"\bsuicid(?:e|al)\b") == {"suicid"}
    assert required_substrings(r"\b(?:kill|hang) myself") == {" myself"}
    assert required_substrings(r"\b(?:kill|hang)(?:ing)? (?:him|her)") >= {"kill", "hang"}
    assert required_substrings(r"(?:pills?)+ at once") == {" at once"}
    assert required_substrings(r"[a-z]+") is None
    assert all(d.literals for d in DETECTORS), "every detector still gets literals to prefilter with"


def test_onnx_runtime_takes_a_process_wide_thread_pool():
    """onnxruntime.capi._pybind_state.set_global_thread_pool_sizes: after it, a session that asks for
    the process-wide pool is created (without it, such a session fails to create)."""
    code = (
        "import onnx, onnx.helper as h, onnxruntime as ort\n"
        "from core.nlu.embeddings import set_process_thread_pool, _session_options\n"
        "g = h.make_graph([h.make_node('Identity', ['x'], ['y'])], 'g',"
        " [h.make_tensor_value_info('x', onnx.TensorProto.FLOAT, [1])],"
        " [h.make_tensor_value_info('y', onnx.TensorProto.FLOAT, [1])])\n"
        "m = h.make_model(g, opset_imports=[h.make_opsetid('', 17)]).SerializeToString()\n"
        "try:\n"
        "    ort.InferenceSession(m, _session_options(shared_pool=True), providers=['CPUExecutionProvider'])\n"
        "    print('without-pool-ok')\n"
        "except Exception:\n"
        "    print('without-pool-fails')\n"
        "set_process_thread_pool(2)\n"
        "ort.InferenceSession(m, _session_options(shared_pool=True), providers=['CPUExecutionProvider'])\n"
        "print('with-pool-ok')\n"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    marks = [line for line in out.stdout.splitlines() if line.startswith("with")]
    assert marks == ["without-pool-fails", "with-pool-ok"], out.stdout[-500:]
