namespace Nautilus.Core;

/// <summary>"Did you mean …?" for a value typed by a person (a work package, a wave) among the known ones.</summary>
public static class Spelling
{
    /// <summary>The known value closest to <paramref name="value"/>, when it is close enough to be a typo (edit distance ≤ max(2, a third of its
    /// length)).</summary>
    public static string? Closest(string value, IEnumerable<string> known)
    {
        string? best = null;
        var bestDistance = int.MaxValue;
        foreach (var candidate in known.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
        {
            var distance = Distance(value.ToLowerInvariant(), candidate.ToLowerInvariant());
            if (distance < bestDistance)
            {
                (best, bestDistance) = (candidate, distance);
            }
        }

        return best is not null && bestDistance > 0 && bestDistance <= Math.Max(2, value.Length / 3) ? best : null;
    }

    /// <summary>" Did you mean 'x'?" or "".</summary>
    public static string DidYouMean(string value, IEnumerable<string> known) =>
        Closest(value, known) is { } match ? $" Did you mean '{match}'?" : "";

    /// <summary>Levenshtein distance, two rows.</summary>
    private static int Distance(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            }

            (previous, current) = (current, previous);
        }

        return previous[b.Length];
    }
}
