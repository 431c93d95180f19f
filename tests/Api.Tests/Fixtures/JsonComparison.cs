using System.Text.Json;

namespace Actors.Api.Tests.Fixtures;

/// <summary>
/// Differences between two JSON documents: same shape and strings, integers exactly, other numbers to a relative
/// tolerance (float sums may be grouped differently). Returns a line per difference, with its path.
/// </summary>
public static class JsonComparison
{
    public static List<string> Differences(JsonElement expected, JsonElement actual, double relativeTolerance, string path = "$")
    {
        var found = new List<string>();
        Compare(expected, actual, relativeTolerance, path, found);
        return found;
    }

    static void Compare(JsonElement a, JsonElement b, double tolerance, string path, List<string> found)
    {
        if (a.ValueKind != b.ValueKind) { found.Add($"{path}: {a.ValueKind} {a} vs {b.ValueKind} {b}"); return; }
        switch (a.ValueKind)
        {
            case JsonValueKind.Object:
                var names = a.EnumerateObject().Select(p => p.Name).Union(b.EnumerateObject().Select(p => p.Name));
                foreach (var name in names)
                {
                    bool inA = a.TryGetProperty(name, out var va), inB = b.TryGetProperty(name, out var vb);
                    if (inA != inB) found.Add($"{path}.{name}: present only in {(inA ? "the first" : "the second")}");
                    else Compare(va, vb, tolerance, $"{path}.{name}", found);
                }
                break;
            case JsonValueKind.Array:
                if (a.GetArrayLength() != b.GetArrayLength()) { found.Add($"{path}: {a.GetArrayLength()} items vs {b.GetArrayLength()}"); break; }
                for (int i = 0; i < a.GetArrayLength(); i++) Compare(a[i], b[i], tolerance, $"{path}[{i}]", found);
                break;
            case JsonValueKind.Number:
                string ra = a.GetRawText(), rb = b.GetRawText();
                if (IsInteger(ra) && IsInteger(rb))
                {
                    if (ra != rb) found.Add($"{path}: {ra} vs {rb}");
                }
                else
                {
                    double x = a.GetDouble(), y = b.GetDouble();
                    double rel = Math.Abs(x - y) / Math.Max(Math.Max(Math.Abs(x), Math.Abs(y)), 1e-300);
                    if (x != y && rel > tolerance) found.Add($"{path}: {ra} vs {rb} (relative {rel:E2})");
                }
                break;
            default:
                if (a.GetRawText() != b.GetRawText()) found.Add($"{path}: {a.GetRawText()} vs {b.GetRawText()}");
                break;
        }
    }

    static bool IsInteger(string raw) => raw.All(c => char.IsAsciiDigit(c) || c == '-');
}
