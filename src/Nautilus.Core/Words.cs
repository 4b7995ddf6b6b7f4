using System.Globalization;

namespace Nautilus.Core;

/// <summary>Counts as people read them in messages: "1 object", "3 objects".</summary>
public static class Words
{
    public static string Count(int n, string noun) => n.ToString(CultureInfo.InvariantCulture) + " " + noun + (n == 1 ? "" : "s");
}
