using System.Text.Json;
using System.Text.Json.Serialization;

namespace Actors.Silo.Storage;

/// <summary>The one System.Text.Json configuration for stored grain state.</summary>
public static class GrainStateJson
{
    /// <summary>
    /// Records bind through their constructors; public fields are included (sketch structs use them);
    /// NaN/±Infinity are allowed because statistics of empty sets (max of nothing) are legitimately infinite.
    /// </summary>
    public static JsonSerializerOptions Options { get; } = Create();

    static JsonSerializerOptions Create()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.General)
        {
            IncludeFields = true,
            NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
            WriteIndented = false,
        };
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }

    public static string Serialize<T>(T value) => JsonSerializer.Serialize(value, Options);

    public static T Deserialize<T>(string json, string what) =>
        JsonSerializer.Deserialize<T>(json, Options)
        ?? throw new InvalidDataException($"stored state {what} is JSON null, expected a {typeof(T).Name}");
}
