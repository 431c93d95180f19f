#!/usr/bin/env python3
"""Writes small checkpoints in torch.save's zip format using only the Python standard library.

PyTorch cannot be installed on the machines this project runs on, so the fixtures for our .pt reader are made by
reproducing what torch.save does (torch/serialization.py, _save):
  * the object is pickled (protocol 2 by default) with a persistent_id hook that replaces every storage with
    ('storage', <storage class, e.g. torch.FloatStorage>, key, location, numel);
  * a tensor pickles as torch._utils._rebuild_tensor_v2(storage, storage_offset, size, stride, requires_grad,
    OrderedDict()) (newer code paths: _rebuild_tensor_v3(..., dtype) over a torch.UntypedStorage), an
    nn.Parameter as torch._utils._rebuild_parameter(tensor, requires_grad, OrderedDict());
  * the zip (stored, not compressed; record data aligned to 64 bytes) holds <name>/data.pkl, <name>/byteorder,
    <name>/data/<key> (raw little-endian bytes), <name>/version and <name>/.data/serialization_id.
Pickle writes globals by module and qualified name only, so stand-in functions and classes registered under those
names in sys.modules produce byte-for-byte the same opcodes torch would. Nothing here is ever unpickled.

Usage: python3 make_pt_fixtures.py <output folder>   (writes *.pt and expected.json)
"""
import collections
import json
import math
import os
import pickle
import struct
import sys
import types
import zipfile


# ---- stand-ins for the torch names that appear in a state-dict pickle -------------------------------------------

def _module(name):
    mod = sys.modules.get(name)
    if mod is None:
        mod = types.ModuleType(name)
        sys.modules[name] = mod
    return mod


def _register(module_name, name, obj):
    obj.__module__ = module_name
    obj.__qualname__ = name
    obj.__name__ = name
    setattr(_module(module_name), name, obj)
    return obj


def _never_called(*args):
    raise RuntimeError("stand-in: only pickled by name")


def _function(module_name, name):
    f = types.FunctionType(_never_called.__code__, {}, name)
    return _register(module_name, name, f)


REBUILD_TENSOR_V2 = _function("torch._utils", "_rebuild_tensor_v2")
REBUILD_TENSOR_V3 = _function("torch._utils", "_rebuild_tensor_v3")
REBUILD_PARAMETER = _function("torch._utils", "_rebuild_parameter")

# dtype name -> (storage class name, struct format, element size)
DTYPES = {
    "float32": ("FloatStorage", "<f", 4),
    "float16": ("HalfStorage", "<e", 2),
    "bfloat16": ("BFloat16Storage", None, 2),
    "float64": ("DoubleStorage", "<d", 8),
    "int64": ("LongStorage", "<q", 8),
    "int32": ("IntStorage", "<i", 4),
    "int16": ("ShortStorage", "<h", 2),
    "int8": ("CharStorage", "<b", 1),
    "uint8": ("ByteStorage", "<B", 1),
    "bool": ("BoolStorage", "<?", 1),
}
STORAGE_CLASSES = {d: _register("torch", cls, type(cls, (), {})) for d, (cls, _, _) in DTYPES.items()}
UNTYPED_STORAGE = _register("torch", "UntypedStorage", type("UntypedStorage", (), {}))


class DType:
    """torch.dtype pickles as the global torch.<name> (its __reduce__ returns the bare name)."""

    def __init__(self, name):
        self.name = name
        self.__module__ = "torch"

    def __reduce__(self):
        return self.name


TORCH_DTYPES = {}
for _name in DTYPES:
    TORCH_DTYPES[_name] = DType(_name)
    setattr(_module("torch"), _name, TORCH_DTYPES[_name])


def bf16_bits(x):
    """Round-to-nearest-even float32 -> bfloat16 bits (fixture values are chosen exactly representable anyway)."""
    (u,) = struct.unpack("<I", struct.pack("<f", x))
    return ((u + 0x7FFF + ((u >> 16) & 1)) >> 16) & 0xFFFF


def encode(dtype, values):
    if dtype == "bfloat16":
        return b"".join(struct.pack("<H", bf16_bits(v)) for v in values)
    fmt = DTYPES[dtype][1]
    return b"".join(struct.pack(fmt, v) for v in values)


def decode(dtype, raw):
    """What the stored element reads back as, for expected.json."""
    size = DTYPES[dtype][2]
    out = []
    for i in range(0, len(raw), size):
        chunk = raw[i:i + size]
        if dtype == "bfloat16":
            (h,) = struct.unpack("<H", chunk)
            (v,) = struct.unpack("<f", struct.pack("<I", h << 16))
        else:
            (v,) = struct.unpack(DTYPES[dtype][1], chunk)
        out.append(float(v))
    return out


class Storage:
    def __init__(self, dtype, values, untyped=False):
        self.dtype = dtype
        self.raw = encode(dtype, values)
        self.untyped = untyped


class Tensor:
    def __init__(self, storage, offset, size, stride, v3=False):
        self.storage, self.offset, self.size, self.stride, self.v3 = storage, offset, tuple(size), tuple(stride), v3

    def __reduce_ex__(self, protocol):
        hooks = collections.OrderedDict()
        if self.v3:
            return (REBUILD_TENSOR_V3, (self.storage, self.offset, self.size, self.stride, False, hooks,
                                        TORCH_DTYPES[self.storage.dtype]))
        return (REBUILD_TENSOR_V2, (self.storage, self.offset, self.size, self.stride, False, hooks))

    def values(self):
        """Row-major elements of the strided view (what a reader must produce)."""
        flat = decode(self.storage.dtype, self.storage.raw)
        n = math.prod(self.size)
        out = []
        for linear in range(n):
            pos, rem = self.offset, linear
            for dim in reversed(range(len(self.size))):
                pos += (rem % self.size[dim]) * self.stride[dim]
                rem //= self.size[dim]
            out.append(flat[pos])
        return out


class Parameter:
    def __init__(self, tensor):
        self.tensor = tensor

    def __reduce_ex__(self, protocol):
        return (REBUILD_PARAMETER, (self.tensor, True, collections.OrderedDict()))


def contiguous(dtype, values, size, v3=False, untyped=False):
    stride, acc = [], 1
    for d in reversed(size):
        stride.insert(0, acc)
        acc *= d
    return Tensor(Storage(dtype, values, untyped), 0, size, stride, v3)


# ---- torch.save's pickling and zip layout -------------------------------------------------------------------------

def pickle_state(obj, protocol):
    keys = {}
    storages = []

    def persistent_id(o):
        if isinstance(o, Storage):
            if id(o) not in keys:
                keys[id(o)] = str(len(keys))
                storages.append((keys[id(o)], o))
            size = DTYPES[o.dtype][2]
            if o.untyped:
                return ("storage", UNTYPED_STORAGE, keys[id(o)], "cpu", len(o.raw))
            return ("storage", STORAGE_CLASSES[o.dtype], keys[id(o)], "cpu", len(o.raw) // size)
        return None

    import io
    buf = io.BytesIO()
    p = pickle.Pickler(buf, protocol=protocol)
    p.persistent_id = persistent_id
    p.dump(obj)
    return buf.getvalue(), storages


def write_record(zf, name, data):
    """A stored record whose data starts on a 64-byte boundary, padded with an 'FB' extra field as PyTorch does."""
    info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
    info.compress_type = zipfile.ZIP_STORED
    header_end = zf.fp.tell() + 30 + len(name.encode())
    pad = (-(header_end + 4)) % 64
    info.extra = b"FB" + struct.pack("<H", pad) + b"Z" * pad
    zf.writestr(info, data)


def torch_save(path, obj, protocol=2, archive="archive", pickle_bytes=None):
    data_pkl, storages = pickle_state(obj, protocol) if pickle_bytes is None else (pickle_bytes, [])
    with open(path, "wb") as f, zipfile.ZipFile(f, "w") as zf:
        write_record(zf, f"{archive}/data.pkl", data_pkl)
        write_record(zf, f"{archive}/byteorder", b"little")
        for key, storage in sorted(storages, key=lambda ks: ks[0]):
            write_record(zf, f"{archive}/data/{key}", storage.raw)
        write_record(zf, f"{archive}/version", b"3\n")
        write_record(zf, f"{archive}/.data/serialization_id", b"0000000000000000000000000000000000000000")


# ---- the fixtures -------------------------------------------------------------------------------------------------

def flatten(obj, prefix, tensors, values):
    def join(name):
        return name if not prefix else f"{prefix}.{name}"

    if isinstance(obj, dict):
        for k, v in obj.items():
            flatten(v, join(str(k)), tensors, values)
    elif isinstance(obj, (list, tuple)):
        for i, v in enumerate(obj):
            flatten(v, join(str(i)), tensors, values)
    elif isinstance(obj, (Tensor, Parameter)):
        t = obj.tensor if isinstance(obj, Parameter) else obj
        tensors[prefix] = {"shape": list(t.size), "dtype": t.storage.dtype, "values": t.values()}
    else:
        kind = type(obj).__name__
        values[prefix] = [kind, repr(obj) if isinstance(obj, float) else (None if obj is None else str(obj))]


def fixtures():
    shared = Storage("float32", [i * 0.5 - 2.0 for i in range(12)])
    state_dict_v2 = collections.OrderedDict([
        ("encoder.weight", Tensor(shared, 0, (3, 4), (4, 1))),
        ("encoder.bias", contiguous("float32", [0.1, -0.2, 0.3], (3,))),
        # Views sharing storage 0: a transpose (non-contiguous), a row at an offset, a strided column.
        ("decoder.weight", Tensor(shared, 0, (4, 3), (1, 4))),
        ("encoder.row1", Tensor(shared, 4, (4,), (1,))),
        ("encoder.col2", Tensor(shared, 2, (3,), (4,))),
        ("logit_scale", contiguous("float32", [4.605170249938965], ())),
        ("bn.num_batches_tracked", contiguous("int64", [7], ())),
        ("empty", Tensor(Storage("float32", []), 0, (0, 5), (5, 1))),
    ])

    sae = collections.OrderedDict([
        ("W_enc", contiguous("float16", [1.0, -2.0, 0.5, 65504.0, 6.0e-5, 1.0 / 3.0], (2, 3))),
        ("W_dec", contiguous("bfloat16", [1.0, -0.5, 0.25, 3.140625, -1024.0, 0.0078125], (3, 2))),
        ("b_dec", contiguous("float64", [0.125, -7.5], (2,))),
        ("threshold", Parameter(contiguous("float32", [0.01, 0.02, 0.03], (3,)))),
    ])
    nested = {
        "state_dict": sae,
        "cfg": {"d_in": 2, "d_sae": 3, "lr": 0.0003, "name": "topk", "normalize": True, "k": None,
                "hook": "blocks.9.hook_resid_post", "big": 2 ** 70, "neg": -5},
        "step": 1234,
        "history": [0.5, 0.25],
        "shape": (2, 3),
    }

    untyped = {
        "v3.float": contiguous("float32", [1.5, 2.5, -3.5, 4.5], (2, 2), v3=True, untyped=True),
        "v3.bf16": contiguous("bfloat16", [2.0, -4.0, 0.75], (3,), v3=True, untyped=True),
        "ints": contiguous("int32", [-3, 0, 2147483647], (3,)),
        "bytes": contiguous("uint8", [0, 7, 255], (3,)),
        "int8": contiguous("int8", [-128, 5], (2,)),
        "mask": contiguous("bool", [True, False, True], (3,)),
        "short": contiguous("int16", [-300, 300], (2,)),
    }
    return [
        ("state_dict_v2.pt", state_dict_v2, 2, "archive"),
        ("nested_sae_p4.pt", nested, 4, "nested_sae_p4"),
        ("untyped_v3_p5.pt", untyped, 5, "archive"),
    ]


# Hand-written pickles that must be refused. Opcodes (pickletools notation) in the comments.
MALICIOUS = {
    # c'os\nsystem' ( X'echo pwned' ) TUPLE1 REDUCE STOP  -- the classic protocol-2 payload.
    "malicious_os_system.pt": b"\x80\x02cos\nsystem\nq\x00X\x0a\x00\x00\x00echo pwnedq\x01\x85q\x02Rq\x03.",
    # protocol 4: SHORT_BINUNICODE 'builtins' SHORT_BINUNICODE 'eval' STACK_GLOBAL ... REDUCE
    "malicious_builtins_eval.pt": b"\x80\x04\x95\x1d\x00\x00\x00\x00\x00\x00\x00\x8c\x08builtins\x94\x8c\x04eval\x94\x93\x94\x8c\x031+1\x94\x85\x94R\x94.",
}


class _Exploit:
    def __reduce__(self):
        return (os.system, ("echo pwned",))  # pickled by name only (posix.system); never executed here


def main(out_dir):
    os.makedirs(out_dir, exist_ok=True)
    expected = {}
    for name, obj, protocol, archive in fixtures():
        torch_save(os.path.join(out_dir, name), obj, protocol, archive)
        tensors, values = {}, {}
        flatten(obj, "", tensors, values)
        expected[name] = {"tensors": tensors, "values": values}
    for name, payload in MALICIOUS.items():
        torch_save(os.path.join(out_dir, name), None, pickle_bytes=payload)
    # A genuine-looking state dict with the exploit hidden after a real tensor, as in published attacks.
    hidden = collections.OrderedDict([("weight", contiguous("float32", [1.0, 2.0], (2,))), ("extra", _Exploit())])
    torch_save(os.path.join(out_dir, "malicious_hidden_in_state_dict.pt"), hidden)
    with open(os.path.join(out_dir, "expected.json"), "w") as f:
        json.dump(expected, f, indent=1, sort_keys=True)


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..", "..", "Vision.Tests", "Fixtures", "torch"))
