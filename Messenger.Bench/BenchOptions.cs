using System.Globalization;

namespace Messenger.Bench;

public enum BenchMode { Closed, Open, Idle, RecoveryHttp, Receipts, Transfer, Group }

/// <summary>Command-line options. Parsing never throws: errors come back as a message so Program can exit 2.</summary>
public sealed class BenchOptions
{
    public Uri Url { get; private set; } = new("http://127.0.0.1:5080");
    public BenchMode Mode { get; private set; } = BenchMode.Closed;
    public int Pairs { get; private set; } = 500;
    public int Devices { get; private set; } = 1;
    public int Inflight { get; private set; } = 4;
    public double Rate { get; private set; } = 10000;
    public double DurationSec { get; private set; } = 30;
    public double WarmupSec { get; private set; } = 5;
    public int BodyBytes { get; private set; } = 100;
    public int Connections { get; private set; } = 1000;
    public int? ServerPid { get; private set; }
    public double DrainSec { get; private set; } = 10;
    public int SetupConcurrency { get; private set; } = 32;
    public bool Help { get; private set; }

    // recovery-http
    public int Messages { get; private set; } = 100_000;
    public int Peers { get; private set; } = 4;
    public int Runs { get; private set; } = 3;
    public string? ServerDll { get; private set; }
    public string? DataDir { get; private set; }
    public string? GcDumpFile { get; private set; }
    public string? UsersFile { get; private set; }
    public string? Gc { get; private set; }
    public List<string> ServerArgs { get; } = new();

    // transfer (--runs is its rounds)
    public int FileMiB { get; private set; } = 10;

    // group (GroupRun)
    public int GroupSize { get; private set; } = 8;
    public int Groups { get; private set; } = 2;
    public int Senders { get; private set; } = 2;

    // Devices are tracked as bits of a long (see MessageRecord.DeviceMask).
    public const int MaxDevices = 64;

    public const string Usage = """
        Messenger.Bench - load generator for the Messenger chat backend

        usage: dotnet run -c Release --project Messenger.Bench -- [options]

          --url URL            server base URL (default http://127.0.0.1:5080)
          --mode M             closed | open | idle | receipts | transfer | group | recovery-http | recovery (in-process) | journal (in-process) (default closed)
          --pairs N            user pairs; user 2i talks to 2i+1 (default 500)
          --devices D          WebSocket connections per user, 1..64 (default 1)
          --inflight K         closed loop: unacked messages per connection (default 4)
          --rate R             open loop: total messages/s over all connections (default 10000)
          --duration S         measured seconds (default 30)
          --warmup S           seconds of uncounted traffic first; idle: settle time (default 5)
          --body-bytes B       message body size, 1..4096 (default 100)
          --connections C      idle: WebSocket connections to open (default 1000)
          --server-pid PID     read server RSS from /proc/PID/status instead of GET /metrics
          --gcdump FILE        idle: heap snapshots of --server-pid (dotnet-gcdump) before and with the sockets open
          --drain S            max seconds to wait for outstanding acks/deliveries (default 10)
          --users-file FILE    reuse users signed up by an earlier run against the same data (saved there if new)
          --setup-concurrency N  parallel sign-ups / connects; recovery-http: parallel seeding sends (default 32)

        receipts: the closed loop (--pairs, --devices, --inflight) twice on the same sockets: plain, then with
          every delivery acknowledged by `received` frames; each loop gets --warmup and --duration.
        transfer: uploads a file and downloads it back --runs times, verifying size and sha256:
          --file-mib N         file size in MiB, 1..25 (default 10)
        group: --groups groups of --group-size members (created over HTTP, no shared members), every member connected;
          the first --senders members of each group send to it, --inflight each (same-key retry on unavailable):
          --group-size N       members per group, 2..256 (default 8)
          --groups G           groups (default 2)
          --senders S          senders per group, 1..N (default 2)

        recovery-http (starts its own Messenger.Web process; --url is not used):
          --messages N         messages seeded into the measured user's inbox (default 100000)
          --peers P            users it talks to; each conversation holds N/P messages (default 4)
          --runs R             restarts measured (default 3)
          --server-dll PATH    Messenger.Web.dll (default: the one built beside this bench)
          --data-dir DIR       keep the data here and reuse its seeded history next time (default: temp, deleted)
          --gc server|workstation  the server's GC (server = DOTNET_gcServer=1 with DATAS); default: its runtimeconfig
          --server-arg ARG     extra server argument, repeatable (e.g. --server-arg=--Messenger:SqliteSynchronous=NORMAL)
          --help               this text

        The last stdout line is a JSON summary; progress and the human summary go to stderr.
        Exit code: 0 ok; 1 undelivered > 0 or nothing sent in the window was acknowledged in it (idle: no
        connection / no RSS; recovery-http: a history request failed); 2 bad arguments.
        """;

    public static BenchOptions? Parse(string[] args, out string? error)
    {
        var o = new BenchOptions();
        error = null;
        for (int i = 0; i < args.Length; i++)
        {
            string arg = args[i];
            string? inline = null;
            int eq = arg.IndexOf('=');
            if (arg.StartsWith("--", StringComparison.Ordinal) && eq > 0)
            {
                inline = arg[(eq + 1)..];
                arg = arg[..eq];
            }

            if (arg is "--help" or "-h" or "-?")
            {
                o.Help = true;
                continue;
            }

            string? value = inline;
            if (value is null)
            {
                if (i + 1 >= args.Length)
                {
                    error = $"missing value for {arg}";
                    return null;
                }
                value = args[++i];
            }

            error = o.Apply(arg, value);
            if (error is not null) return null;
        }

        error = o.Validate();
        return error is null ? o : null;
    }

    private string? Apply(string name, string value)
    {
        switch (name)
        {
            case "--url":
                if (!Uri.TryCreate(value, UriKind.Absolute, out var u) || (u.Scheme != "http" && u.Scheme != "https"))
                    return $"--url must be an absolute http(s) URL, got '{value}'";
                Url = u;
                return null;
            case "--mode":
                switch (value.ToLowerInvariant())
                {
                    case "closed": Mode = BenchMode.Closed; return null;
                    case "open": Mode = BenchMode.Open; return null;
                    case "idle": Mode = BenchMode.Idle; return null;
                    case "recovery-http": Mode = BenchMode.RecoveryHttp; return null;
                    case "receipts": Mode = BenchMode.Receipts; return null;
                    case "transfer": Mode = BenchMode.Transfer; return null;
                    case "group": Mode = BenchMode.Group; return null;
                    default: return $"--mode must be closed, open, idle, receipts, transfer, group or recovery-http, got '{value}'";
                }
            case "--pairs": return Int(name, value, 1, 1_000_000, v => Pairs = v);
            case "--devices": return Int(name, value, 1, MaxDevices, v => Devices = v);
            case "--inflight": return Int(name, value, 1, 100_000, v => Inflight = v);
            case "--rate": return Dbl(name, value, 0.001, 10_000_000, v => Rate = v);
            case "--duration": return Dbl(name, value, 0.1, 86_400, v => DurationSec = v);
            case "--warmup": return Dbl(name, value, 0, 86_400, v => WarmupSec = v);
            case "--body-bytes": return Int(name, value, 1, 4096, v => BodyBytes = v);
            case "--connections": return Int(name, value, 1, 1_000_000, v => Connections = v);
            case "--server-pid": return Int(name, value, 1, int.MaxValue, v => ServerPid = v);
            case "--drain": return Dbl(name, value, 0, 3600, v => DrainSec = v);
            case "--setup-concurrency": return Int(name, value, 1, 1024, v => SetupConcurrency = v);
            case "--messages": return Int(name, value, 1, 100_000_000, v => Messages = v);
            case "--peers": return Int(name, value, 1, 1000, v => Peers = v);
            case "--runs": return Int(name, value, 1, 1000, v => Runs = v);
            case "--file-mib": return Int(name, value, 1, 25, v => FileMiB = v);
            case "--group-size": return Int(name, value, 2, 256, v => GroupSize = v);
            case "--groups": return Int(name, value, 1, 10_000, v => Groups = v);
            case "--senders": return Int(name, value, 1, 256, v => Senders = v);
            case "--server-dll": ServerDll = Path.GetFullPath(value); return null;
            case "--data-dir": DataDir = value; return null;
            case "--server-arg": ServerArgs.Add(value); return null;
            case "--gcdump": GcDumpFile = value; return null;
            case "--users-file": UsersFile = value; return null;
            case "--gc":
                if (value is not ("server" or "workstation")) return $"--gc must be server or workstation, got '{value}'";
                Gc = value;
                return null;
            default: return $"unknown option '{name}'";
        }
    }

    private string? Validate()
    {
        if (Help) return null;
        // Users are named b<runid>_<i>; keep the name within the 32 character limit.
        long users = Mode switch
        {
            BenchMode.Idle => (Connections + Devices - 1) / Devices,
            BenchMode.Group => (long)Groups * GroupSize,
            _ => 2L * Pairs,
        };
        if (Mode == BenchMode.Group && Senders > GroupSize) return "--senders cannot exceed --group-size";
        if (users > 9_999_999) return "too many users";
        if (GcDumpFile is not null && (Mode != BenchMode.Idle || ServerPid is null)) return "--gcdump needs --mode idle and --server-pid";
        return null;
    }

    private static string? Int(string name, string value, int min, int max, Action<int> set)
    {
        if (!int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out int v) || v < min || v > max)
            return $"{name} must be an integer in {min}..{max}, got '{value}'";
        set(v);
        return null;
    }

    private static string? Dbl(string name, string value, double min, double max, Action<double> set)
    {
        if (!double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) || double.IsNaN(v) || v < min || v > max)
            return $"{name} must be a number in {min.ToString(CultureInfo.InvariantCulture)}..{max.ToString(CultureInfo.InvariantCulture)}, got '{value}'";
        set(v);
        return null;
    }
}
