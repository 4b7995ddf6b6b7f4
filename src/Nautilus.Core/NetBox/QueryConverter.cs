using Refit;

namespace Nautilus.Core.NetBox;

/// <summary>
/// Flattens a filter dictionary into NetBox query pairs. A string[] value repeats its key
/// (?status=planned&amp;status=active: OR for most filters, AND for tag; docs/design.md §2).
/// </summary>
public sealed class QueryConverter : IQueryConverter<IDictionary<string, object>>
{
    public void Flatten(IDictionary<string, object> value, string keyPrefix, ref GeneratedQueryStringBuilder builder, RefitSettings settings)
    {
        foreach (var (key, item) in value.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            if (item is string[] many)
            {
                builder.BeginCollection(keyPrefix + key, CollectionFormat.Multi, false);
                foreach (var one in many)
                {
                    builder.AddCollectionValue(one);
                }

                builder.EndCollection();
            }
            else
            {
                builder.Add(keyPrefix + key, Convert.ToString(item, System.Globalization.CultureInfo.InvariantCulture), false);
            }
        }
    }
}
