using System.CommandLine;
using System.Reflection;
using Actors.GpuHost.Cli;

var root = new RootCommand("GpuHost: CLIP + SAE on CPU (OpenBLAS) — encode, classify, train, ingest.");
foreach (var verb in Assembly.GetExecutingAssembly().GetTypes()
             .Where(t => typeof(ICliVerb).IsAssignableFrom(t) && t is { IsAbstract: false, IsInterface: false })
             .Select(t => (ICliVerb)Activator.CreateInstance(t)!)
             .Select(v => v.Build())
             .OrderBy(c => c.Name))
    root.Subcommands.Add(verb);
return await root.Parse(args).InvokeAsync();
