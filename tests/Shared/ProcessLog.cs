using System.Diagnostics;
using System.Text;

namespace Actors.Testing;

/// <summary>The last ~20,000 characters a child process wrote (stdout and stderr), for failure messages.</summary>
public sealed class ProcessLog
{
    readonly StringBuilder log = new();

    /// <summary>Starts reading the process's redirected output into this log.</summary>
    public void Follow(Process process)
    {
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    void Append(string? line)
    {
        if (line is null) return;
        lock (log)
        {
            log.AppendLine(line);
            if (log.Length > 20_000) log.Remove(0, log.Length - 20_000);
        }
    }

    /// <summary>The text so far, after a line saying how the process exited if it has.</summary>
    public string Text(Process process)
    {
        string exit = process.HasExited ? $"[process exited with code {process.ExitCode}]\n" : "";
        lock (log) return exit + log;
    }
}
