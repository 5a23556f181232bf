using System.Security.Cryptography;

namespace Messenger.Bench;

/// <summary>Sign-up and connection opening, both with bounded concurrency so setup does not look like an attack.</summary>
public sealed class BenchSetup(ApiClient api, BenchStats stats, int concurrency)
{
    private const string Alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";

    // Random per run so repeated runs against the same server never collide on usernames.
    public string RunId { get; } = RandomString(6);

    private long _signUpOk;
    private long _signUpFailed;

    /// <summary>Signs up users b&lt;runid&gt;_0 .. b&lt;runid&gt;_{count-1}; failed ones are null (and counted in errors).</summary>
    public async Task<BenchUser?[]> SignUpAsync(int count, CancellationToken ct)
    {
        var users = new BenchUser?[count];
        using var giveUp = CancellationTokenSource.CreateLinkedTokenSource(ct);
        using var progress = new Timer(_ => Console.Error.WriteLine($"  signed up {Interlocked.Read(ref _signUpOk)}/{count}"), null, 1000, 1000);
        try
        {
            await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = concurrency, CancellationToken = giveUp.Token },
                async (i, token) =>
                {
                    users[i] = await SignUpOneAsync(i, token).ConfigureAwait(false);
                    if (users[i] is not null) Interlocked.Increment(ref _signUpOk);
                    // Fail fast against a dead or misconfigured server instead of retrying every user.
                    else if (Interlocked.Increment(ref _signUpFailed) >= 20 && Interlocked.Read(ref _signUpOk) == 0) giveUp.Cancel();
                }).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            Console.Error.WriteLine($"  giving up on sign-up: the first {Interlocked.Read(ref _signUpFailed)} attempts all failed");
        }
        return users;
    }

    private async Task<BenchUser?> SignUpOneAsync(int i, CancellationToken ct)
    {
        string name = $"b{RunId}_{i}";
        string password = RandomString(16);
        string last = "";
        // Sign-up is rate-limited per client address and by the password-hashing lanes: a bench waits its turn like a client.
        for (int attempt = 0; attempt < 30; attempt++)
        {
            var r = await api.SignUpAsync(name, password, ct).ConfigureAwait(false);
            switch (r.Status)
            {
                case ApiClient.SignUpStatus.Ok:
                    // The server's userId is the normalised name; that is what `to` must carry.
                    return new BenchUser(i, r.UserId ?? name, r.Token!);
                case ApiClient.SignUpStatus.Taken:
                    name = $"b{RunId}_{i}_{RandomString(3)}";
                    break;
                case ApiClient.SignUpStatus.Retryable:
                    await Task.Delay(Math.Min(200 * (attempt + 1), 2000), ct).ConfigureAwait(false);
                    break;
                default:
                    return SignUpFailed(name, r.Detail);
            }
            last = r.Detail;
        }
        return SignUpFailed(name, "after retries: " + last);
    }

    private BenchUser? SignUpFailed(string name, string detail)
    {
        stats.Error("signup_failed");
        // Only the first few: a broken server would otherwise print one line per user.
        if (Interlocked.Read(ref _signUpFailed) < 5) Console.Error.WriteLine($"  sign-up of {name} failed: {detail}");
        return null;
    }

    /// <summary>Opens every connection; failures are counted (connect_failed) and dropped from the result.</summary>
    public async Task<List<BenchConnection>> ConnectAsync(IReadOnlyList<BenchConnection> connections, CancellationToken ct)
    {
        var ok = new bool[connections.Count];
        long done = 0;
        using var progress = new Timer(_ => Console.Error.WriteLine($"  connected {Interlocked.Read(ref done)}/{connections.Count}"), null, 1000, 1000);
        await Parallel.ForEachAsync(Enumerable.Range(0, connections.Count), new ParallelOptions { MaxDegreeOfParallelism = concurrency, CancellationToken = ct },
            async (i, token) =>
            {
                ok[i] = await connections[i].ConnectAsync(api.WebSocketBase, token).ConfigureAwait(false);
                Interlocked.Increment(ref done);
            }).ConfigureAwait(false);
        var open = new List<BenchConnection>(connections.Count);
        for (int i = 0; i < ok.Length; i++)
            if (ok[i]) open.Add(connections[i]);
        return open;
    }

    public static string RandomString(int length)
    {
        Span<char> chars = stackalloc char[length];
        for (int i = 0; i < length; i++) chars[i] = Alphabet[RandomNumberGenerator.GetInt32(Alphabet.Length)];
        return new string(chars);
    }
}
