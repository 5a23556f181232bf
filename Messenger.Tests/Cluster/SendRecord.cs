namespace Messenger.Tests.Cluster;

/// <summary>One message a load client sent, with every answer it got until it was acknowledged.</summary>
public sealed class SendRecord
{
    public required Guid ClientMessageId { get; init; }
    public required string From { get; init; }
    public required string To { get; init; }
    public required string Body { get; init; }

    /// <summary>1, 2, 3, … per sender: the sending order (the next send starts only once this one ended).</summary>
    public required int Number { get; init; }
    public DateTime StartedAt { get; init; } = DateTime.UtcNow;
    public int Attempts;
    public int Unavailable;
    public int RateLimited;
    public int Reconnects;
    public string? MessageId;
    public DateTime? AckedAt;

    /// <summary>Answers that are neither sent nor unavailable/rate_limited (must stay empty).</summary>
    public readonly List<string> OtherErrors = new();

    /// <summary>Attempts that got no answer at all within <see cref="ChatLoad.AnswerTimeout"/> (must stay zero).</summary>
    public int Hangs;

    /// <summary>The client gave up on it after a failed attempt (never retried by the load).</summary>
    public bool GaveUp;

    public bool Acked => MessageId is not null;
    public TimeSpan? Latency => AckedAt - StartedAt;
}

/// <summary>How one load user sends: over its WebSocket device or <c>POST /api/messages</c>; retrying until acknowledged,
/// or giving up at the first attempt that fails (a client that went away: its send is never retried by anyone).</summary>
public sealed record SenderStyle(bool OverHttp = false, bool GivesUp = false)
{
    public static readonly SenderStyle WebSocket = new();

    public override string ToString() => (OverHttp ? "http" : "websocket") + (GivesUp ? ", gives up" : ", retries");
}
