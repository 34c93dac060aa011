namespace SessionInsights.Domain.Patterns;

/// <summary>
/// The event names an <see cref="EventFilter.EventName"/> accepts, compared ordinally. A list because a
/// fact like "the customer paid" has several names across products (order_completed, purchase …).
/// Equality by content, so that filters naming the same events stay one filter.
/// </summary>
public sealed class EventNameList : IEquatable<EventNameList>
{
    private readonly string[] _names;

    public EventNameList(IEnumerable<string> names)
    {
        ArgumentNullException.ThrowIfNull(names);
        _names = [.. names];
    }

    public IReadOnlyList<string> Names => _names;

    public bool Contains(string eventName)
    {
        foreach (var name in _names)
        {
            if (string.Equals(name, eventName, StringComparison.Ordinal))
            {
                return true;
            }
        }
        return false;
    }

    public bool Equals(EventNameList? other) =>
        other is not null && _names.AsSpan().SequenceEqual(other._names);

    public override bool Equals(object? obj) => Equals(obj as EventNameList);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (var name in _names)
        {
            hash.Add(name, StringComparer.Ordinal);
        }
        return hash.ToHashCode();
    }

    public override string ToString() => string.Join("|", _names);
}
