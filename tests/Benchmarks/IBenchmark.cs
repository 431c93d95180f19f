namespace Actors.Benchmarks;

/// <summary>
/// One benchmark, run as `dotnet run -c Release --project tests/Benchmarks -- NAME [options]`.
/// Its last line is `RESULT name=... value=... unit=... [bound=... ratio=...]`.
/// </summary>
public interface IBenchmark
{
    string Name { get; }
    string Description { get; }
    int Run(string[] args);
}
