namespace Messenger.Web.RealTime;

/// <summary>
/// What this connection delivered: each seq once (<see cref="SentSeqs"/>), and <see cref="UpTo"/>, the position up to
/// which every message since the device attached went out. The bridge syncs internally from <see cref="UpTo"/> when
/// the inbox says it holds more (a push lost between incarnations), so nothing is missed and nothing is sent twice.
/// </summary>
public sealed class DeliveredSeqs
{
    private readonly SentSeqs _sent = new();

    /// <summary>Every seq up to this one went out (or precedes the device's first attach: the client's own business).</summary>
    public long UpTo { get; private set; } = -1;

    public bool Started => UpTo >= 0;

    /// <summary>The first attach: the inbox's position then is where this connection's live delivery starts.</summary>
    public void StartAt(long seq)
    {
        if (Started) return;
        UpTo = seq;
        Advance();
    }

    /// <summary>Marks <paramref name="seq"/> as sent; false if it already was.</summary>
    public bool TryMark(long seq)
    {
        if (!_sent.TryMark(seq)) return false;
        if (Started && seq == UpTo + 1) Advance();
        return true;
    }

    private void Advance()
    {
        while (_sent.Contains(UpTo + 1)) UpTo++;
    }
}
