using Orleans;

namespace Actors.Silo.Storage;

/// <summary>
/// A storage failure, named for the grain and operation it hit. Driver exceptions (a PostgresException, a
/// SqliteException) do not cross Orleans's serializer intact, so the caller gets this with the driver's message.
/// </summary>
[GenerateSerializer, Alias("actors.GrainStorageException")]
public sealed class GrainStorageException : Exception
{
    public GrainStorageException(string message) : base(message) { }
}
