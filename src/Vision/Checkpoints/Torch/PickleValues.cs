namespace Actors.Vision.Checkpoints.Torch;

// The values the restricted unpickler can produce. Python ints become long (or BigInteger when wider),
// floats double, str string, bytes byte[], list List<object?>, dict PickleDict, tuple PickleTuple.

/// <summary>A Python tuple (immutable, compared by value so it can be a dict key).</summary>
public sealed class PickleTuple(object?[] items) : IReadOnlyList<object?>, IEquatable<PickleTuple>
{
    public object?[] Items { get; } = items;
    public int Count => Items.Length;
    public object? this[int index] => Items[index];
    public IEnumerator<object?> GetEnumerator() => ((IEnumerable<object?>)Items).GetEnumerator();
    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => Items.GetEnumerator();

    public bool Equals(PickleTuple? other) =>
        other is not null && Items.Length == other.Items.Length &&
        Items.Zip(other.Items).All(p => PickleKeyComparer.Instance.Equals(p.First, p.Second));

    public override bool Equals(object? obj) => Equals(obj as PickleTuple);

    public override int GetHashCode()
    {
        var h = new HashCode();
        foreach (var item in Items) h.Add(PickleKeyComparer.Instance.GetHashCode(item));
        return h.ToHashCode();
    }

    public override string ToString() => "(" + string.Join(", ", Items) + ")";
}

/// <summary>A Python dict or OrderedDict: insertion-ordered, later assignments replace earlier ones.</summary>
public sealed class PickleDict
{
    private readonly List<KeyValuePair<object?, object?>> _items = [];
    private readonly Dictionary<object, int> _index = new(PickleKeyComparer.Instance);
    private static readonly object NullKey = new();

    public int Count => _items.Count;
    public IEnumerable<KeyValuePair<object?, object?>> Items => _items;

    public void Set(object? key, object? value)
    {
        var k = key ?? NullKey;
        if (_index.TryGetValue(k, out int i)) _items[i] = new(key, value);
        else
        {
            _index[k] = _items.Count;
            _items.Add(new(key, value));
        }
    }

    public bool TryGet(object? key, out object? value)
    {
        if (_index.TryGetValue(key ?? NullKey, out int i)) { value = _items[i].Value; return true; }
        value = null;
        return false;
    }
}

/// <summary>A Python set or frozenset, kept as its items in pickle order.</summary>
public sealed class PickleSet
{
    public List<object?> Items { get; } = [];
}

/// <summary>A reference to an allowed Python global (a function, class or dtype), by module and name.</summary>
public sealed record PickleGlobal(string Module, string Name)
{
    public override string ToString() => $"{Module}.{Name}";
}

internal sealed class PickleKeyComparer : IEqualityComparer<object?>
{
    public static readonly PickleKeyComparer Instance = new();

    public new bool Equals(object? a, object? b)
    {
        if (a is long la && b is long lb) return la == lb;
        if (a is double da && b is double db) return da.Equals(db);
        if (a is bool ba && b is bool bb) return ba == bb;
        return object.Equals(a, b);
    }

    public int GetHashCode(object? o) => o?.GetHashCode() ?? 0;
}
