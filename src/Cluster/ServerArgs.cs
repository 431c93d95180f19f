namespace Actors.Cluster;

/// <summary>Command-line arguments every server process (API, silo, GPU host) builds its host from.</summary>
public static class ServerArgs
{
    /// <summary>
    /// The arguments with configuration reload turned off (a later --hostBuilder:reloadConfigOnChange=true still wins).
    /// .NET's default host watches its content root, the working directory, recursively for changed appsettings
    /// files. A server's working directory is often its data folder: the watcher then woke for every SQLite page and
    /// thumbnail written (measured in ingest-wide: 193 folders watched and about 4 % of a checkpoint's CPU in inotify
    /// events) and takes an inotify watch per blob shard folder, tens of thousands in a large store. Settings are
    /// read at start; a change takes a restart.
    /// </summary>
    public static string[] WithoutConfigReload(string[] args) => ["--hostBuilder:reloadConfigOnChange=false", .. args];
}
