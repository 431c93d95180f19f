namespace Actors.World;

/// <summary>
/// Each shape as an inside test on the object's own square, coordinates u (right) and v (down) in [−1, 1].
/// The renderer supersamples these tests to anti-alias the edges.
/// </summary>
public static class ShapeGeometry
{
    private static readonly (double X, double Y)[] Triangle = [(0, -0.9), (0.95, 0.75), (-0.95, 0.75)];
    private static readonly (double X, double Y)[] Star = StarPolygon(5, 1.0, 0.42);
    private static readonly (double X, double Y)[] Hexagon = RegularPolygon(6, 0.95, 0);
    private static readonly (double X, double Y)[] Beak = [(0.62, -0.5), (1.0, -0.38), (0.62, -0.26)];
    private static readonly (double X, double Y)[] Crown = [(0, -1.0), (0.8, 0.35), (-0.8, 0.35)];
    private static readonly (double X, double Y)[] ShortBeak = [(0.64, -0.47), (0.88, -0.4), (0.64, -0.33)];

    public static bool Inside(Shape shape, double u, double v) => shape switch
    {
        Shape.Circle => u * u + v * v < 0.9 * 0.9,
        Shape.Square => Math.Max(Math.Abs(u), Math.Abs(v)) < 0.8,
        Shape.Triangle => InPolygon(Triangle, u, v),
        Shape.Star => InPolygon(Star, u, v),
        Shape.Cross => (Math.Abs(u) < 0.3 && Math.Abs(v) < 0.9) || (Math.Abs(v) < 0.3 && Math.Abs(u) < 0.9),
        Shape.Heart => InHeart(u, v),
        Shape.Diamond => Math.Abs(u) / 0.75 + Math.Abs(v) < 1.0,
        Shape.Hexagon => InPolygon(Hexagon, u, v),
        Shape.Ring => u * u + v * v < 0.9 * 0.9 && u * u + v * v > 0.5 * 0.5,
        // A duck in profile: body, head, beak.
        Shape.Duck => InBirdBody(u, v) || InPolygon(Beak, u, v),
        // A land bird in profile: the duck's body and head, a short pointed beak instead of the long flat one, and two
        // thin legs. The two differ in details only (a few pixels at the small size), as waterbirds and landbirds do.
        Shape.Bird => InBirdBody(u, v) || InPolygon(ShortBeak, u, v)
                      || (v > 0.6 && v < 0.97 && (Math.Abs(u + 0.2) < 0.05 || Math.Abs(u - 0.1) < 0.05)),
        // A tree: triangular crown on a trunk.
        Shape.Tree => InPolygon(Crown, u, v) || (Math.Abs(u) < 0.15 && v >= 0.3 && v < 0.95),
        _ => throw new ArgumentOutOfRangeException(nameof(shape)),
    };

    /// <summary>Body and head the duck and the land bird share, so that only beak and legs tell them apart.</summary>
    private static bool InBirdBody(double u, double v) => Ellipse(u, v, -0.15, 0.3, 0.8, 0.45) || Ellipse(u, v, 0.4, -0.4, 0.3, 0.3);

    private static bool Ellipse(double u, double v, double cx, double cy, double rx, double ry)
    {
        double a = (u - cx) / rx, b = (v - cy) / ry;
        return a * a + b * b < 1;
    }

    /// <summary>The classic heart curve (x² + y² − 1)³ − x² y³ ≤ 0, scaled into the square, point up = v flipped.</summary>
    private static bool InHeart(double u, double v)
    {
        double x = u * 1.3, y = -v * 1.3 + 0.15;
        double q = x * x + y * y - 1;
        return q * q * q - x * x * y * y * y < 0;
    }

    /// <summary>Even–odd ray casting point-in-polygon test.</summary>
    internal static bool InPolygon((double X, double Y)[] poly, double x, double y)
    {
        bool inside = false;
        for (int i = 0, j = poly.Length - 1; i < poly.Length; j = i++)
        {
            var (xi, yi) = poly[i];
            var (xj, yj) = poly[j];
            if ((yi > y) != (yj > y) && x < (xj - xi) * (y - yi) / (yj - yi) + xi) inside = !inside;
        }
        return inside;
    }

    private static (double, double)[] RegularPolygon(int n, double r, double phase) =>
        Enumerable.Range(0, n).Select(i => (r * Math.Cos(phase + 2 * Math.PI * i / n), r * Math.Sin(phase + 2 * Math.PI * i / n))).ToArray();

    private static (double, double)[] StarPolygon(int points, double outer, double inner) =>
        Enumerable.Range(0, 2 * points).Select(i =>
        {
            double r = i % 2 == 0 ? outer : inner, a = -Math.PI / 2 + Math.PI * i / points;
            return (r * Math.Cos(a), r * Math.Sin(a) + 0.1);
        }).ToArray();
}
