using System.Reflection;
using Actors.Benchmarks;

// Every IBenchmark in this assembly is a verb; adding one is adding a class.
var benchmarks = Assembly.GetExecutingAssembly().GetTypes()
    .Where(t => typeof(IBenchmark).IsAssignableFrom(t) && t is { IsAbstract: false, IsInterface: false })
    .Select(t => (IBenchmark)Activator.CreateInstance(t)!)
    .OrderBy(b => b.Name)
    .ToList();

if (args.Length == 0 || benchmarks.All(b => b.Name != args[0]))
{
    Console.Error.WriteLine("usage: dotnet run -c Release --project tests/Benchmarks -- <benchmark> [options]");
    foreach (var b in benchmarks) Console.Error.WriteLine($"  {b.Name,-14} {b.Description}");
    return args.Length == 0 ? 0 : 2;
}
// Which OpenBLAS kernels run decides most CPU figures (SSE3 "Prescott" fallback vs AVX-512 "SkylakeX": 2-3x).
Console.WriteLine($"openblas kernels: {Actors.Tensors.Kernels.Blas.CoreName}" +
                  (Actors.Tensors.Kernels.Blas.ChosenCoreType is null ? " (OpenBLAS's own detection or OPENBLAS_CORETYPE)" : " (chosen from the CPU's instruction sets)"));
return benchmarks.First(b => b.Name == args[0]).Run(args[1..]);
