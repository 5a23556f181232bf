namespace Messenger.Bench;

/// <summary>
/// <c>--users-file</c>: users signed up by an earlier run against the same data (name and token per line), so
/// repeated runs (GC settings compared on one data dir, 10,000 idle users) skip thousands of deliberately slow
/// password hashes. Missing users are signed up and the file is rewritten with all of them.
/// </summary>
public static class SavedUsers
{
    public static async Task<BenchUser?[]> LoadOrSignUpAsync(string? file, BenchSetup setup, int count, CancellationToken ct)
    {
        if (file is null) return await setup.SignUpAsync(count, ct).ConfigureAwait(false);
        var saved = File.Exists(file)
            ? File.ReadLines(file).Select(l => l.Split('\t')).Where(p => p.Length == 2).Select(p => (Name: p[0], Token: p[1])).ToList()
            : [];
        var users = new BenchUser?[count];
        for (int i = 0; i < Math.Min(count, saved.Count); i++) users[i] = new BenchUser(i, saved[i].Name, saved[i].Token);
        if (saved.Count >= count)
        {
            Console.Error.WriteLine($"using {count} users from {file}");
            return users;
        }
        Console.Error.WriteLine($"{file}: {saved.Count} saved users, signing up {count - saved.Count} more");
        var fresh = await setup.SignUpAsync(count - saved.Count, ct).ConfigureAwait(false);
        for (int i = 0; i < fresh.Length; i++)
            if (fresh[i] is { } u) users[saved.Count + i] = new BenchUser(saved.Count + i, u.Name, u.Token);
        var all = saved.Select(s => $"{s.Name}\t{s.Token}").Concat(fresh.OfType<BenchUser>().Select(u => $"{u.Name}\t{u.Token}"));
        await File.WriteAllLinesAsync(file, all, ct).ConfigureAwait(false);
        return users;
    }
}
