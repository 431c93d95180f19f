using System.Buffers.Binary;
using System.Globalization;
using System.Numerics;
using System.Text;

namespace Actors.Vision.Checkpoints.Torch;

/// <summary>
/// A pickle virtual machine (protocols 0–5, the opcodes of CPython's Lib/pickle.py) that never imports or calls
/// Python code. Globals are resolved against a fixed allow-list of what torch.save writes for tensor state dicts;
/// any other global raises <see cref="UnsafePickleException"/> at the moment it is named, before anything is
/// "called". Persistent ids (torch's storages) are handed to <paramref name="persistentLoad"/>.
/// </summary>
public sealed class RestrictedUnpickler(byte[] data, string filePath, Func<object?, object?> persistentLoad)
{
    private readonly List<object?> _stack = [];
    private readonly Stack<int> _marks = new();
    private readonly Dictionary<long, object?> _memo = [];
    private int _pos;

    private static readonly HashSet<string> AllowedFunctions =
    [
        "collections.OrderedDict",
        "torch._utils._rebuild_tensor_v2",
        "torch._utils._rebuild_tensor_v3",
        "torch._utils._rebuild_parameter",
        "torch._utils._rebuild_parameter_with_state",
        "torch.Size",
        "torch.device",
        "_codecs.encode",
        "builtins.set",
        "builtins.frozenset",
    ];

    public object? Load()
    {
        while (true)
        {
            byte op = ReadByte();
            switch (op)
            {
                case 0x80: ReadByte(); break;                        // PROTO
                case 0x95: ReadBytes(8); break;                      // FRAME: framing is only a read-ahead hint
                case (byte)'.': return Pop();                        // STOP
                case (byte)'(': _marks.Push(_stack.Count); break;    // MARK
                case (byte)'N': Push(null); break;
                case 0x88: Push(true); break;
                case 0x89: Push(false); break;
                case (byte)'J': Push((long)BinaryPrimitives.ReadInt32LittleEndian(ReadBytes(4))); break;
                case (byte)'K': Push((long)ReadByte()); break;
                case (byte)'M': Push((long)BinaryPrimitives.ReadUInt16LittleEndian(ReadBytes(2))); break;
                case 0x8a: Push(DecodeLong(ReadBytes(ReadByte()))); break;                              // LONG1
                case 0x8b: Push(DecodeLong(ReadBytes(Length(BinaryPrimitives.ReadInt32LittleEndian(ReadBytes(4)))))); break;
                case (byte)'I': Push(ParseTextInt(ReadLine())); break;                                     // INT
                case (byte)'L': Push(ParseTextLong(ReadLine())); break;                                    // LONG
                case (byte)'G': Push(BinaryPrimitives.ReadDoubleBigEndian(ReadBytes(8))); break;          // BINFLOAT
                case (byte)'F': Push(double.Parse(ReadLine(), CultureInfo.InvariantCulture)); break;      // FLOAT
                case (byte)'X': Push(Utf8(ReadBytes(Length(BinaryPrimitives.ReadUInt32LittleEndian(ReadBytes(4)))))); break;
                case 0x8c: Push(Utf8(ReadBytes(ReadByte()))); break;                                        // SHORT_BINUNICODE
                case 0x8d: Push(Utf8(ReadBytes(Length(BinaryPrimitives.ReadUInt64LittleEndian(ReadBytes(8)))))); break;
                case (byte)'V': Push(ReadLine()); break;                                                   // UNICODE (raw-unicode-escape; ASCII in practice)
                // Python 2 str: torch.load decodes these as UTF-8 by default.
                case (byte)'T': Push(Utf8(ReadBytes(Length(BinaryPrimitives.ReadInt32LittleEndian(ReadBytes(4)))))); break;
                case (byte)'U': Push(Utf8(ReadBytes(ReadByte()))); break;
                case (byte)'B': Push(ReadBytes(Length(BinaryPrimitives.ReadUInt32LittleEndian(ReadBytes(4)))).ToArray()); break;
                case (byte)'C': Push(ReadBytes(ReadByte()).ToArray()); break;
                case 0x8e or 0x96: Push(ReadBytes(Length(BinaryPrimitives.ReadUInt64LittleEndian(ReadBytes(8)))).ToArray()); break;
                case (byte)']': Push(new List<object?>()); break;
                case (byte)'l': Push(new List<object?>(PopMark())); break;
                case (byte)'a': { var v = Pop(); AsList(Peek()).Add(v); break; }
                case (byte)'e': { var items = PopMark(); AsList(Peek()).AddRange(items); break; }
                case (byte)')': Push(new PickleTuple([])); break;
                case (byte)'t': Push(new PickleTuple(PopMark())); break;
                case 0x85: Push(new PickleTuple([Pop()])); break;
                case 0x86: { var b = Pop(); var a = Pop(); Push(new PickleTuple([a, b])); break; }
                case 0x87: { var c = Pop(); var b = Pop(); var a = Pop(); Push(new PickleTuple([a, b, c])); break; }
                case (byte)'}': Push(new PickleDict()); break;
                case (byte)'d': { var items = PopMark(); var d = new PickleDict(); SetItems(d, items); Push(d); break; }
                case (byte)'s': { var v = Pop(); var k = Pop(); AsDict(Peek()).Set(k, v); break; }
                case (byte)'u': { var items = PopMark(); SetItems(AsDict(Peek()), items); break; }
                case 0x8f: Push(new PickleSet()); break;                                                    // EMPTY_SET
                case 0x90: { var items = PopMark(); AsSet(Peek()).Items.AddRange(items); break; }         // ADDITEMS
                case 0x91: { var s = new PickleSet(); s.Items.AddRange(PopMark()); Push(s); break; }       // FROZENSET
                case (byte)'0': Pop(); break;
                case (byte)'1': PopMark(); break;
                case (byte)'2': Push(Peek()); break;
                case (byte)'p': _memo[long.Parse(ReadLine(), CultureInfo.InvariantCulture)] = Peek(); break;
                case (byte)'q': _memo[ReadByte()] = Peek(); break;
                case (byte)'r': _memo[BinaryPrimitives.ReadUInt32LittleEndian(ReadBytes(4))] = Peek(); break;
                case 0x94: _memo[_memo.Count] = Peek(); break;                                              // MEMOIZE
                case (byte)'g': Push(MemoGet(long.Parse(ReadLine(), CultureInfo.InvariantCulture))); break;
                case (byte)'h': Push(MemoGet(ReadByte())); break;
                case (byte)'j': Push(MemoGet(BinaryPrimitives.ReadUInt32LittleEndian(ReadBytes(4)))); break;
                case (byte)'c': { var module = ReadLine(); var name = ReadLine(); Push(ResolveGlobal(module, name)); break; }
                case 0x93:                                                                                  // STACK_GLOBAL
                {
                    var name = Pop() as string; var module = Pop() as string;
                    if (module is null || name is null) throw Corrupt("STACK_GLOBAL operands are not strings");
                    Push(ResolveGlobal(module, name));
                    break;
                }
                case (byte)'R': { var args = Pop(); var func = Pop(); Push(Call(func, args)); break; }    // REDUCE
                case 0x81: { var args = Pop(); var cls = Pop(); Push(Call(cls, args)); break; }          // NEWOBJ
                case 0x92:                                                                                  // NEWOBJ_EX
                {
                    var kwargs = Pop(); var args = Pop(); var cls = Pop();
                    if (kwargs is PickleDict { Count: > 0 }) throw Corrupt($"NEWOBJ_EX with keyword arguments for {cls}");
                    Push(Call(cls, args));
                    break;
                }
                case (byte)'b': { var state = Pop(); Build(Peek(), state); break; }                       // BUILD
                case (byte)'i':                                                                             // INST
                {
                    var module = ReadLine(); var name = ReadLine();
                    var cls = ResolveGlobal(module, name);
                    Push(Call(cls, new PickleTuple(PopMark())));
                    break;
                }
                case (byte)'o': { var items = PopMark(); if (items.Length == 0) throw Corrupt("OBJ without a class"); Push(Call(items[0], new PickleTuple(items[1..]))); break; }
                case (byte)'P': Push(persistentLoad(ReadLine())); break;                                    // PERSID
                case (byte)'Q': Push(persistentLoad(Pop())); break;                                         // BINPERSID
                case 0x82 or 0x83 or 0x84:
                    throw Corrupt("the copyreg extension registry (EXT1/EXT2/EXT4) is not supported");
                case 0x97 or 0x98:
                    throw Corrupt("out-of-band pickle buffers (protocol 5 NEXT_BUFFER) are not supported");
                default:
                    throw Corrupt($"unknown or unsupported pickle opcode 0x{op:X2} at byte {_pos - 1}");
            }
        }
    }

    private object ResolveGlobal(string module, string name)
    {
        string full = $"{module}.{name}";
        if (AllowedFunctions.Contains(full)) return new PickleGlobal(module, name);
        if (module is "torch" or "torch.storage" && TorchScalarTypes.TryFromStorageClass(name, out _))
            return new PickleGlobal(module, name);
        if (module == "torch" && TorchScalarTypes.TryFromDTypeName(name, out _)) return new PickleGlobal(module, name);
        throw new UnsafePickleException(filePath, full);
    }

    /// <summary>Applies an allowed callable to its argument tuple.</summary>
    private object? Call(object? func, object? argsObj)
    {
        if (func is not PickleGlobal g) throw Corrupt($"REDUCE on a value that is not a callable global ({Describe(func)})");
        if (argsObj is not PickleTuple args) throw Corrupt($"arguments of {g} are not a tuple");
        switch (g.ToString())
        {
            case "collections.OrderedDict":
                return new PickleDict();
            case "torch._utils._rebuild_tensor_v2":
                return RebuildTensor(g, args, explicitDType: null);
            case "torch._utils._rebuild_tensor_v3":
                if (args.Count < 7 || args[6] is not PickleGlobal dt || !TorchScalarTypes.TryFromDTypeName(dt.Name, out var t))
                    throw Corrupt("_rebuild_tensor_v3 without a dtype argument");
                return RebuildTensor(g, args, t);
            case "torch._utils._rebuild_parameter" or "torch._utils._rebuild_parameter_with_state":
                // nn.Parameter(data, requires_grad, hooks[, state]): the data is all a state dict needs.
                if (args.Count < 1 || args[0] is not TorchTensor p) throw Corrupt($"{g} without a tensor argument");
                return p;
            case "torch.Size":
                return args.Count == 0 ? new PickleTuple([]) : args[0] is PickleTuple st ? st : new PickleTuple(AsList(args[0]).ToArray());
            case "torch.device":
                return string.Join(":", args.Items.Select(a => a?.ToString()));
            case "_codecs.encode":
                // Protocol 2 writes Python 3 bytes as _codecs.encode(text, 'latin1').
                if (args.Count < 1 || args[0] is not string s) throw Corrupt("_codecs.encode without a string");
                string enc = args.Count > 1 ? args[1] as string ?? "utf-8" : "utf-8";
                return enc is "latin1" or "latin-1" or "iso-8859-1" ? Encoding.Latin1.GetBytes(s) : Encoding.UTF8.GetBytes(s);
            case "builtins.set" or "builtins.frozenset":
            {
                var set = new PickleSet();
                if (args.Count > 0) set.Items.AddRange(Enumerate(args[0]));
                return set;
            }
            default:
                throw Corrupt($"{g} cannot be called (it is a type marker, not a function)");
        }
    }

    private TorchTensor RebuildTensor(PickleGlobal g, PickleTuple args, TorchScalarType? explicitDType)
    {
        if (args.Count < 4) throw Corrupt($"{g} needs (storage, offset, size, stride), got {args.Count} arguments");
        if (args[0] is not TorchStorage storage) throw Corrupt($"{g}: first argument is not a storage ({Describe(args[0])})");
        if (args[1] is not long offset || offset < 0) throw Corrupt($"{g}: storage offset is not a non-negative int");
        long[] size = Ints(args[2], g, "size");
        long[] stride = Ints(args[3], g, "stride");
        if (size.Length != stride.Length)
            throw Corrupt($"{g}: size has {size.Length} dimensions but stride has {stride.Length}");
        return new TorchTensor(storage, offset, size, stride, explicitDType ?? storage.DType);
    }

    private long[] Ints(object? o, PickleGlobal g, string what)
    {
        var items = Enumerate(o).ToArray();
        var result = new long[items.Length];
        for (int i = 0; i < items.Length; i++)
            result[i] = items[i] is long v && v >= 0 ? v : throw Corrupt($"{g}: {what} entry {i} is not a non-negative int");
        return result;
    }

    private void Build(object? target, object? state)
    {
        if (state is null || state is PickleDict { Count: 0 } || state is PickleTuple { Count: 0 }) return;
        if (target is PickleDict d && state is PickleDict s)
        {
            foreach (var kv in s.Items) d.Set(kv.Key, kv.Value);
            return;
        }
        throw Corrupt($"BUILD (object state) on {Describe(target)} is not supported");
    }

    private IEnumerable<object?> Enumerate(object? o) => o switch
    {
        PickleTuple t => t.Items,
        List<object?> l => l,
        PickleSet s => s.Items,
        _ => throw Corrupt($"expected a sequence, found {Describe(o)}"),
    };

    private void SetItems(PickleDict d, object?[] items)
    {
        if (items.Length % 2 != 0) throw Corrupt("SETITEMS with an odd number of items");
        for (int i = 0; i < items.Length; i += 2) d.Set(items[i], items[i + 1]);
    }

    private List<object?> AsList(object? o) => o as List<object?> ?? throw Corrupt($"APPEND to {Describe(o)}");
    private PickleDict AsDict(object? o) => o as PickleDict ?? throw Corrupt($"SETITEM on {Describe(o)}");
    private PickleSet AsSet(object? o) => o as PickleSet ?? throw Corrupt($"ADDITEMS on {Describe(o)}");

    private static string Describe(object? o) => o is null ? "None" : o.GetType().Name;

    private object? MemoGet(long key) =>
        _memo.TryGetValue(key, out var v) ? v : throw Corrupt($"memo key {key} was never stored");

    private void Push(object? o) => _stack.Add(o);

    private object? Peek() => _stack.Count > (_marks.Count > 0 ? _marks.Peek() : 0)
        ? _stack[^1]
        : throw Corrupt("stack underflow");

    private object? Pop()
    {
        if (_stack.Count == 0 || (_marks.Count > 0 && _stack.Count <= _marks.Peek())) throw Corrupt("stack underflow");
        var v = _stack[^1];
        _stack.RemoveAt(_stack.Count - 1);
        return v;
    }

    private object?[] PopMark()
    {
        if (_marks.Count == 0) throw Corrupt("no MARK on the stack");
        int m = _marks.Pop();
        var items = _stack.GetRange(m, _stack.Count - m).ToArray();
        _stack.RemoveRange(m, _stack.Count - m);
        return items;
    }

    private byte ReadByte() => _pos < data.Length ? data[_pos++] : throw Corrupt("pickle ends before STOP");

    private ReadOnlySpan<byte> ReadBytes(int n)
    {
        if (n < 0 || n > data.Length - _pos) throw Corrupt("pickle ends inside a value");
        var s = data.AsSpan(_pos, n);
        _pos += n;
        return s;
    }

    private string ReadLine()
    {
        int end = Array.IndexOf(data, (byte)'\n', _pos);
        if (end < 0) throw Corrupt("pickle ends inside a text argument");
        var s = Encoding.UTF8.GetString(data, _pos, end - _pos);
        _pos = end + 1;
        return s;
    }

    private int Length(long n) => n is >= 0 and <= int.MaxValue ? (int)n : throw Corrupt($"length {n} out of range");
    private int Length(ulong n) => n <= int.MaxValue ? (int)n : throw Corrupt($"length {n} out of range");

    private static string Utf8(ReadOnlySpan<byte> b) => Encoding.UTF8.GetString(b);

    /// <summary>LONG1/LONG4: little-endian two's complement.</summary>
    private static object DecodeLong(ReadOnlySpan<byte> b)
    {
        if (b.Length == 0) return 0L;
        var big = new BigInteger(b, isUnsigned: false, isBigEndian: false);
        return big >= long.MinValue && big <= long.MaxValue ? (long)big : big;
    }

    private object ParseTextInt(string s) => s switch
    {
        "00" => false,
        "01" => true,
        _ => ParseTextLong(s),
    };

    private object ParseTextLong(string s)
    {
        s = s.TrimEnd('L');
        if (long.TryParse(s, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long v)) return v;
        if (BigInteger.TryParse(s, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var big)) return big;
        throw Corrupt($"'{s}' is not an integer");
    }

    private CheckpointFormatException Corrupt(string problem) =>
        new(filePath, null, $"corrupt or unsupported pickle: {problem}.");
}
