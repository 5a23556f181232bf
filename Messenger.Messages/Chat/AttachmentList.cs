using System.Collections;

namespace Messenger.Messages.Chat;

/// <summary>
/// The attachments of one message, compared by value: records compare list fields by reference, and two copies of a
/// message (or a retried send) must compare equal when they carry the same files in the same order.
/// </summary>
public sealed class AttachmentList : IReadOnlyList<Attachment>, IEquatable<AttachmentList>
{
    private readonly Attachment[] _items;

    public static AttachmentList Empty { get; } = new([]);

    private AttachmentList(Attachment[] items) => _items = items;

    public static AttachmentList Of(IEnumerable<Attachment> items)
    {
        var array = items.ToArray();
        return array.Length == 0 ? Empty : new AttachmentList(array);
    }

    public int Count => _items.Length;
    public Attachment this[int index] => _items[index];

    /// <summary>Same files in the same order (ids are enough: an id names one immutable upload).</summary>
    public bool SameFiles(AttachmentList other) =>
        _items.Length == other._items.Length && _items.Select(a => a.AttachmentId).SequenceEqual(other._items.Select(a => a.AttachmentId));

    public bool Equals(AttachmentList? other) => other is not null && _items.AsSpan().SequenceEqual(other._items);
    public override bool Equals(object? obj) => obj is AttachmentList other && Equals(other);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (var a in _items) hash.Add(a);
        return hash.ToHashCode();
    }

    public IEnumerator<Attachment> GetEnumerator() => ((IEnumerable<Attachment>)_items).GetEnumerator();
    IEnumerator IEnumerable.GetEnumerator() => _items.GetEnumerator();
}
