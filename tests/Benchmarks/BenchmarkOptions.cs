namespace Actors.Benchmarks;

/// <summary>`--name value` options of a benchmark's command line.</summary>
public static class BenchmarkOptions
{
    public static string? Text(string[] args, string name)
    {
        int i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }

    /// <summary>Every value of a repeatable option, in order.</summary>
    public static IEnumerable<string> All(string[] args, string name) =>
        args.Select((a, i) => (a, i)).Where(p => p.a == name && p.i + 1 < args.Length).Select(p => args[p.i + 1]);

    public static int Int(string[] args, string name, int fallback) => Text(args, name) is { } text ? int.Parse(text) : fallback;
}
