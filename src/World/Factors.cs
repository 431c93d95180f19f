namespace Actors.World;

/// <summary>
/// Object shapes. Duck and Bird (a land bird) are the two classes of the Waterbirds-style spurious split (world
/// version 2; in version 1 the pair was duck and tree, and there was no bird).
/// </summary>
public enum Shape { Circle, Square, Triangle, Star, Cross, Heart, Diamond, Hexagon, Ring, Duck, Tree, Bird }

/// <summary>Object colours (well separated RGB, see <see cref="WorldPalette"/>).</summary>
public enum ObjectColour { Red, Orange, Yellow, Green, Cyan, Blue, Purple, Pink, White, Black }

public enum ObjectSize { Small, Large }

/// <summary>Cell of a 3×3 grid where the object's centre sits.</summary>
public enum Position { TopLeft, Top, TopRight, Left, Center, Right, BottomLeft, Bottom, BottomRight }

public enum Background { Plain, Stripes, Dots, Checker, Water, Land }

/// <summary>Lower-case English names of the factors, as used in captions, manifests and written words.</summary>
public static class WorldNames
{
    public static string Name(Shape s) => s.ToString().ToLowerInvariant();
    public static string Name(ObjectColour c) => c.ToString().ToLowerInvariant();
    public static string Name(ObjectSize s) => s.ToString().ToLowerInvariant();
    public static string Name(Background b) => b.ToString().ToLowerInvariant();

    public static string Name(Position p) => p switch
    {
        Position.TopLeft => "top left", Position.Top => "top", Position.TopRight => "top right",
        Position.Left => "left", Position.Center => "center", Position.Right => "right",
        Position.BottomLeft => "bottom left", Position.Bottom => "bottom", Position.BottomRight => "bottom right",
        _ => throw new ArgumentOutOfRangeException(nameof(p)),
    };

    public static T Parse<T>(string name) where T : struct, Enum
    {
        foreach (T value in Enum.GetValues<T>())
            if (NameOf(value) == name) return value;
        throw new FormatException($"'{name}' is not a {typeof(T).Name} of the world (known: {string.Join(", ", Enum.GetValues<T>().Select(v => NameOf(v)))}).");
    }

    public static string NameOf<T>(T value) where T : struct, Enum => value switch
    {
        Shape s => Name(s), ObjectColour c => Name(c), ObjectSize z => Name(z), Position p => Name(p), Background b => Name(b),
        _ => throw new ArgumentException($"Not a world factor: {typeof(T).Name}"),
    };
}

/// <summary>RGB values of the object colours and the backgrounds' base tones.</summary>
public static class WorldPalette
{
    public static (byte R, byte G, byte B) Rgb(ObjectColour c) => c switch
    {
        ObjectColour.Red => (230, 25, 35),
        ObjectColour.Orange => (245, 130, 20),
        ObjectColour.Yellow => (250, 225, 30),
        ObjectColour.Green => (40, 180, 60),
        ObjectColour.Cyan => (30, 200, 220),
        ObjectColour.Blue => (30, 60, 220),
        ObjectColour.Purple => (140, 50, 190),
        ObjectColour.Pink => (245, 120, 190),
        ObjectColour.White => (250, 250, 250),
        ObjectColour.Black => (20, 20, 20),
        _ => throw new ArgumentOutOfRangeException(nameof(c)),
    };
}
